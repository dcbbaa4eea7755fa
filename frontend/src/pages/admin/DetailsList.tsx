import { Bdi } from "../../components/Bdi";

/** A free-form JSON object (an audit entry's details, a proposal's payload) as key/value pairs. */
export function DetailsList({ values, label }: { values: Record<string, unknown>; label: string }) {
  return (
    <>
    <p className="muted details-label">{label}</p>
    <dl className="facts details-list">
      {Object.entries(values).map(([k, v]) => (
        <div key={k} className="details-pair">
          <dt>
            <Bdi ltr className="mono">
              {k}
            </Bdi>
          </dt>
          <dd>
            <Bdi className="mono">{typeof v === "string" ? v : JSON.stringify(v)}</Bdi>
          </dd>
        </div>
      ))}
    </dl>
    </>
  );
}
