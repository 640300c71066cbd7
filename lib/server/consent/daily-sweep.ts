import { sweepExpiredConsent } from "./sweep-retention";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Every instance sweeps daily; the sweep is idempotent, so instances need not coordinate. */
export function scheduleDailySweep(): void {
  const timer = setInterval(() => {
    sweepExpiredConsent()
      .then(({ expiredSubjects, purgedLeftovers }) => {
        if (expiredSubjects || purgedLeftovers)
          console.log(`[retention] ${expiredSubjects} subject(s) expired, ${purgedLeftovers} purged image(s) cleaned`);
      })
      .catch((error) => console.error("[retention] sweep failed:", error));
  }, DAY_MS);
  timer.unref();
}
