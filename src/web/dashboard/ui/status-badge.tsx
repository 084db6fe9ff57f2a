const labels: Record<string, string> = {
  QUEUED: "Queued",
  RUNNING: "Running",
  RETRYING: "Retrying",
  SUCCEEDED: "Succeeded",
  FAILED: "Failed",
  CANCELLED: "Cancelled",
};

/** Every job status, in the order the job list's filter offers them. */
export const jobStatuses = Object.keys(labels);

export const statusLabel = (status: string) => labels[status] ?? status;

/** A job's status as a coloured pill; the text, not the colour, carries the meaning. */
export function StatusBadge({ status }: { status: string }) {
  return (
    <span class="badge" data-status={status}>
      {statusLabel(status)}
    </span>
  );
}
