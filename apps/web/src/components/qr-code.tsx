import { useMemo } from 'react';
import { encode } from 'uqr';

/** A QR code drawn as one SVG path: crisp at any size, no canvas, no image request. */
export function QrCode({ value, label }: { readonly value: string; readonly label: string }) {
  const { size, path } = useMemo(() => {
    const qr = encode(value, { ecc: 'M', border: 2 });
    const cells: string[] = [];
    qr.data.forEach((row, y) => {
      row.forEach((isDark, x) => {
        if (isDark) cells.push(`M${x} ${y}h1v1h-1z`);
      });
    });
    return { size: qr.size, path: cells.join('') };
  }, [value]);
  return (
    <svg
      className="qr"
      viewBox={`0 0 ${size} ${size}`}
      role="img"
      aria-label={label}
      shapeRendering="crispEdges"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#111" />
    </svg>
  );
}
