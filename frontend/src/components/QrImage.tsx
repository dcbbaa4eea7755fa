/**
 * A QR code from our API (an SVG document) shown as an image: an <img> from a data: URL never runs
 * scripts or styles inside the SVG, where inserting the markup into the page would.
 */
export function QrImage({ svg, alt, testId }: { svg: string; alt: string; testId?: string }) {
  return <img className="qr" src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`} alt={alt} width={200} height={200} data-testid={testId} />;
}
