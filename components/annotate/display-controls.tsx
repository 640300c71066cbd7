"use client";

import { DEFAULT_DISPLAY, DISPLAY_RANGE, type TDisplay } from "@/lib/annotate/display";

const SLIDERS = [
  { key: "brightness", label: "Brightness" },
  { key: "contrast", label: "Contrast" },
  { key: "gamma", label: "Gamma" },
] as const;

/** Brightness, contrast and gamma of the photo while labelling; nothing is saved or exported. */
export function DisplayControls({ display, onChange }: { display: TDisplay; onChange: (display: TDisplay) => void }) {
  return (
    <fieldset
      className="stack"
      style={{ border: 0, padding: 0, margin: 0, gap: "var(--space-1)" }}
      data-testid="display-controls"
    >
      <legend className="muted">Photo display (not saved)</legend>
      {SLIDERS.map(({ key, label }) => (
        <label key={key} className="inline" style={{ justifyContent: "space-between" }}>
          {label}
          <input
            type="range"
            min={DISPLAY_RANGE.min}
            max={DISPLAY_RANGE.max}
            step={DISPLAY_RANGE.step}
            value={display[key]}
            onChange={(e) => onChange({ ...display, [key]: Number(e.target.value) })}
            aria-valuetext={`${display[key].toFixed(1)}×`}
            data-testid={`display-${key}`}
          />
          <span aria-hidden style={{ width: 32 }}>
            {display[key].toFixed(1)}
          </span>
        </label>
      ))}
      <button
        type="button"
        onClick={() => onChange(DEFAULT_DISPLAY)}
        disabled={SLIDERS.every(({ key }) => display[key] === 1)}
        data-testid="display-reset"
      >
        Reset display
      </button>
    </fieldset>
  );
}
