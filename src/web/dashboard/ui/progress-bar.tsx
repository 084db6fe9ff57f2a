import { percent } from "../format.js";

interface ProgressBarProps {
  progress: number;
  status: string;
  /** Names the bar for assistive technology, e.g. "Progress of demo.simulate 1a2b3c4d". */
  label: string;
  message?: string | null;
}

/** A bar with role=progressbar; its width is set through the CSSOM, which the page's CSP allows. */
export function ProgressBar({ progress, status, label, message }: ProgressBarProps) {
  const value = percent(progress);
  return (
    <div class="progress">
      <div
        class="bar"
        data-status={status}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value}
        aria-valuetext={message ? `${value} %, ${message}` : `${value} %`}
      >
        <div class="fill" style={{ width: `${value}%` }} />
      </div>
      <div class="progress-text">
        <span class="pct">{value} %</span>
        {message ? <span class="pmsg">{message}</span> : null}
      </div>
    </div>
  );
}
