import { MONK_SKIN_TONES } from "@/lib/hand/skin-tone";

/** Monk Skin Tone 1–10 as a radio group of its ten swatches (arrow keys move between them). */
export function MonkScaleInput({
  name,
  defaultValue,
  legend,
}: {
  name: string;
  defaultValue?: number | null;
  legend: string;
}) {
  return (
    <fieldset className="swatches" aria-label={legend}>
      <legend className="muted" style={{ fontSize: "var(--text-sm)", width: "100%" }}>
        {legend}
      </legend>
      <label className="swatch" style={{ background: "transparent", color: "var(--text-muted)" }} title="Not given">
        <input type="radio" name={name} value="" defaultChecked={!defaultValue} aria-label="Not given" />–
      </label>
      {MONK_SKIN_TONES.map((colour, index) => (
        <label
          key={colour}
          className="swatch"
          style={{ background: colour, color: index >= 5 ? "#fff" : "#000" }}
          title={`Monk ${index + 1}`}
        >
          <input
            type="radio"
            name={name}
            value={index + 1}
            defaultChecked={defaultValue === index + 1}
            aria-label={`Monk ${index + 1}`}
            data-testid={`${name}-${index + 1}`}
          />
          {index + 1}
        </label>
      ))}
    </fieldset>
  );
}
