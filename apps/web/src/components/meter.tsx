/**
 * A labelled 0–100 gauge. The number is printed too; the colour only repeats it (the
 * browser colours a meter by where its value falls against `low`, `high` and `optimum`).
 */
export function Meter({ label, value }: { readonly label: string; readonly value: number }) {
  return (
    <div className="meter">
      <div className="meter-head">
        <span>{label}</span>
        <strong>{value}%</strong>
      </div>
      <meter
        className="meter-bar"
        aria-label={label}
        min={0}
        max={100}
        low={50}
        high={80}
        optimum={100}
        value={value}
      >
        {value}%
      </meter>
    </div>
  );
}
