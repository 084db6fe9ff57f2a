import { useEffect, useRef, useState } from "preact/hooks";
import { UploadsQuery } from "../api/operations.js";
import { formatBytes, shortId } from "../format.js";
import type { DashboardUploadsQuery } from "../gql/graphql.js";
import { useSession } from "../session.js";
import { ProgressBar } from "../ui/progress-bar.js";
import type { ParamField } from "./params-form.js";
import { startUpload, type RunningUpload } from "./tus-upload.js";
import { acceptAttribute, acceptsType, refusalOf } from "./upload-files.js";

type EarlierUpload = DashboardUploadsQuery["uploads"][number];

type UploadState =
  | { phase: "idle" }
  | { phase: "refused"; message: string }
  | { phase: "uploading" | "paused" | "failed"; name: string; sent: number; total: number; message?: string }
  | { phase: "done"; name: string; total: number; id: string };

// The bar's colour follows a job's: running while bytes go, done, failed; a paused upload waits.
const barStatus = { uploading: "RUNNING", paused: "QUEUED", failed: "FAILED", done: "SUCCEEDED" } as const;

interface UploadInputProps {
  field: ParamField;
  /** The file input's id, name and ARIA attributes, as the other inputs get them. */
  inputProps: Record<string, unknown> & { id: string };
  /** The upload id the field holds ("" until an upload ends). */
  value: string;
  onChange(value: string): void;
}

/**
 * A params field that names an upload (`x-upload`): a file picker that
 * sends the file with tus as soon as it is picked, with a progress bar,
 * Pause and Resume, and fills the field with the upload's id once the last
 * byte is in, so the job can be submitted at once. An earlier upload of a
 * type the field takes may be chosen instead.
 */
export function UploadInput({ field, inputProps, value, onChange }: UploadInputProps) {
  const session = useSession();
  const accept = field.accept ?? ["*/*"];
  const [state, setState] = useState<UploadState>({ phase: "idle" });
  const [earlier, setEarlier] = useState<EarlierUpload[]>([]);
  const running = useRef<RunningUpload | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const changed = useRef(onChange);
  changed.current = onChange;

  // Leaving the form (another job type, signing out) pauses an upload: picking the same file again resumes it.
  useEffect(() => () => running.current?.pause(), []);

  useEffect(() => {
    let current = true;
    session
      .request(UploadsQuery, { first: 20 })
      .then((data) => current && setEarlier(data.uploads.filter((upload) => acceptsType(accept, upload.contentType))))
      .catch(() => current && setEarlier([]));
    return () => {
      current = false;
    };
  }, [session.request, accept.join(",")]);

  function pick(file: File | undefined) {
    running.current?.pause();
    running.current = null;
    changed.current("");
    if (!file) {
      setState({ phase: "idle" });
      return;
    }
    const refusal = refusalOf(accept, file);
    if (refusal) {
      setState({ phase: "refused", message: refusal });
      return;
    }
    const name = file.name;
    setState({ phase: "uploading", name, sent: 0, total: file.size });
    const upload = startUpload(file, {
      token: session.token,
      subject: session.me.subject,
      events: {
        progress: (sent, total) => setState((s) => (s.phase === "uploading" && running.current === upload ? { ...s, sent, total } : s)),
        resumed: () => setState((s) => (s.phase === "uploading" ? { ...s, message: "resuming an earlier upload of this file" } : s)),
        success: (id) => {
          if (running.current !== upload) return;
          running.current = null;
          setState({ phase: "done", name, total: file.size, id });
          changed.current(id);
        },
        error: (message) => {
          if (running.current !== upload) return;
          setState((s) => (s.phase === "uploading" || s.phase === "paused" ? { ...s, phase: "failed", message } : s));
        },
      },
    });
    running.current = upload;
  }

  function pause() {
    running.current?.pause();
    setState((s) => (s.phase === "uploading" ? { ...s, phase: "paused", message: undefined } : s));
  }

  function resume() {
    running.current?.resume();
    setState((s) => (s.phase === "paused" || s.phase === "failed" ? { ...s, phase: "uploading", message: undefined } : s));
  }

  const statusId = `${inputProps.id}-upload-status`;
  const chosenEarlier = state.phase !== "done" && state.phase !== "uploading" && value !== "" ? earlier.find((upload) => upload.id === value) : undefined;
  return (
    <div class="upload-input">
      <input
        type="file"
        ref={fileInput}
        {...inputProps}
        accept={acceptAttribute(accept)}
        aria-describedby={[inputProps["aria-describedby"], statusId].filter(Boolean).join(" ")}
        onChange={(e) => pick(e.currentTarget.files?.[0])}
      />
      {state.phase === "uploading" || state.phase === "paused" || state.phase === "failed" || state.phase === "done" ? (
        <ProgressBar
          progress={state.phase === "done" ? 1 : state.total > 0 ? state.sent / state.total : 0}
          status={barStatus[state.phase]}
          label={`Upload of ${state.name}`}
          message={
            state.phase === "done"
              ? `${formatBytes(state.total)} uploaded`
              : `${formatBytes(state.sent)} of ${formatBytes(state.total)}${state.phase === "paused" ? ", paused" : ""}`
          }
        />
      ) : null}
      <div id={statusId} class="upload-status small" role="status" aria-live="polite">
        {state.phase === "refused" ? <p class="issue">{state.message}</p> : null}
        {state.phase === "uploading" && state.message ? <p class="hint">{state.message}…</p> : null}
        {state.phase === "failed" ? <p class="issue">Upload stopped: {state.message}.</p> : null}
        {state.phase === "done" ? (
          <p class="upload-done">
            Uploaded {state.name} as <span class="mono">{shortId(state.id)}</span>: ready to submit.
          </p>
        ) : null}
        {chosenEarlier ? <p class="upload-done">Using the earlier upload {chosenEarlier.name}.</p> : null}
      </div>
      {state.phase === "uploading" || state.phase === "paused" || state.phase === "failed" ? (
        <div class="upload-actions">
          {state.phase === "uploading" ? (
            <button type="button" class="secondary small-button" onClick={pause}>
              Pause upload
            </button>
          ) : (
            <button type="button" class="secondary small-button" onClick={resume}>
              Resume upload
            </button>
          )}
        </div>
      ) : null}
      {earlier.length > 0 ? (
        <label class="inline small earlier-upload">
          or an earlier upload
          <select
            value={chosenEarlier ? value : ""}
            onChange={(e) => {
              const id = e.currentTarget.value;
              if (!id) return;
              running.current?.pause();
              running.current = null;
              if (fileInput.current) fileInput.current.value = "";
              setState({ phase: "idle" });
              onChange(id);
            }}
          >
            <option value="">Choose…</option>
            {earlier.map((upload) => (
              <option key={upload.id} value={upload.id}>
                {upload.name} ({formatBytes(upload.size)}, {new Date(upload.createdAt).toLocaleString()})
              </option>
            ))}
          </select>
        </label>
      ) : null}
    </div>
  );
}
