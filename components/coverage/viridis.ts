/** Viridis (perceptually uniform, colour-blind safe): 0 → dark purple, 1 → yellow; with a readable text colour. */
const STOPS = [
  "#440154",
  "#482878",
  "#3e4989",
  "#31688e",
  "#26828e",
  "#1f9e89",
  "#35b779",
  "#6ece58",
  "#b5de2b",
  "#fde725",
];

export function viridis(t: number): { background: string; color: string } {
  const i = Math.max(0, Math.min(STOPS.length - 1, Math.round(t * (STOPS.length - 1))));
  return { background: STOPS[i], color: i >= 6 ? "#111" : "#fff" };
}
