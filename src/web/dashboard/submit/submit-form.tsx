import { useEffect, useMemo, useState } from "preact/hooks";
import { JobTypesQuery, SubmitJobMutation } from "../api/operations.js";
import type { DashboardJobTypesQuery } from "../gql/graphql.js";
import { credits, formatApproximate, messageOf, shortId } from "../format.js";
import { useSession } from "../session.js";
import { Alert, StatusMessage, type Message } from "../ui/message.js";
import type { Job } from "../jobs/use-job-list.js";
import { ParamInput } from "./param-input.js";
import { initialValues, issueTarget, paramsFormOf, paramsFromValues, wholeParamsKey, type FormValues } from "./params-form.js";

// Issues are kept by field name; the priority input is not a params field, so its key cannot be one.
const priorityKey = "\u0000priority";

type JobTypeInfo = DashboardJobTypesQuery["jobTypes"][number];

/** Submits a job of any type, with a params form built from the type's JSON Schema. */
export function SubmitForm({ onSubmitted }: { onSubmitted(job: Job): void }) {
  const session = useSession();
  const [types, setTypes] = useState<JobTypeInfo[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [typeName, setTypeName] = useState("");
  const [values, setValues] = useState<FormValues>({});
  const [priority, setPriority] = useState("");
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [outcome, setOutcome] = useState<Message | null>(null);
  const [busy, setBusy] = useState(false);

  // The form starts over with the type, in the same update: text typed right after choosing a type is kept.
  const chooseType = (list: readonly JobTypeInfo[], name: string) => {
    setTypeName(name);
    setValues(initialValues(paramsFormOf(list.find((t) => t.name === name)?.paramsSchema)));
    setIssues({});
    setOutcome(null);
  };

  useEffect(() => {
    session
      .request(JobTypesQuery, {})
      .then((data) => {
        setTypes(data.jobTypes);
        if (data.jobTypes[0]) chooseType(data.jobTypes, data.jobTypes[0].name);
      })
      .catch((err: Error) => setLoadError(err.message));
  }, [session.request]);

  const type = types?.find((t) => t.name === typeName);
  const form = useMemo(() => paramsFormOf(type?.paramsSchema), [type]);

  if (loadError) return <section class="card"><Alert text={`Could not read the job types: ${loadError}`} /></section>;
  if (!types) return <section class="card" aria-busy="true"><p class="muted">Loading job types…</p></section>;

  const maxPriority = session.isAdmin ? 9 : (type?.maxUserPriority ?? 9);
  const idPrefix = `param-${typeName.replace(/[^\w-]/g, "_")}`;

  async function submit(event: Event) {
    event.preventDefault();
    if (!type) return;
    setOutcome(null);
    const parsed = paramsFromValues(form, values);
    const priorityValue = priority.trim() === "" ? null : Number(priority);
    const nextIssues: Record<string, string> = {};
    if (!parsed.ok) for (const issue of parsed.issues) nextIssues[issue.field] = issue.message;
    if (priorityValue !== null && (!Number.isInteger(priorityValue) || priorityValue < 0 || priorityValue > maxPriority)) {
      nextIssues[priorityKey] = `a whole number from 0 to ${maxPriority}`;
    }
    setIssues(nextIssues);
    if (!parsed.ok || nextIssues[priorityKey]) {
      setOutcome({ kind: "error", text: "Check the highlighted fields." });
      return;
    }
    setBusy(true);
    try {
      const { submitJob: answer } = await session.request(SubmitJobMutation, {
        input: { type: type.name, params: parsed.params, priority: priorityValue },
      });
      switch (answer.__typename) {
        case "SubmitJobSuccess":
          session.setBalance(answer.balance);
          onSubmitted(answer.job);
          setOutcome({ kind: "ok", text: `Submitted ${answer.job.type} ${shortId(answer.job.id)}: ${credits(answer.job.cost)} charged, ${credits(answer.balance)} left.` });
          break;
        case "ValidationError": {
          const byField: Record<string, string> = {};
          const general: string[] = [];
          for (const issue of answer.issues) {
            const target = issueTarget(form, issue.path);
            const key = target.on === "priority" ? priorityKey : target.on === "field" ? target.field : null;
            if (key === null) general.push(`${issue.path.join(".") || "input"}: ${issue.message}`);
            else byField[key] = byField[key] ? `${byField[key]}; ${issue.message}` : issue.message;
          }
          setIssues(byField);
          setOutcome({ kind: "error", text: answer.message, details: general });
          break;
        }
        case "InsufficientBalanceError":
          setOutcome({ kind: "error", text: `Not enough credits: this job costs ${credits(answer.cost)} and your balance is ${credits(answer.balance)}.` });
          break;
        case "RateLimitedError":
          setOutcome({
            kind: "error",
            text:
              answer.limit === "UNFINISHED_JOBS"
                ? `${answer.message} Wait for one of your jobs to finish.`
                : `${answer.message} Try again in ${formatApproximate(answer.retryAfterMs)}.`,
          });
          break;
      }
    } catch (err) {
      setOutcome({ kind: "error", text: messageOf(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card" aria-labelledby="submit-title">
      <h2 id="submit-title">Submit a job</h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div class="field">
          <label for="job-type">Job type</label>
          <select id="job-type" value={typeName} onChange={(e) => chooseType(types, e.currentTarget.value)} aria-describedby="job-type-hint">
            {types.map((t) => (
              <option key={t.name} value={t.name}>
                {t.name} ({credits(t.cost)})
              </option>
            ))}
          </select>
          {type ? (
            <p id="job-type-hint" class="hint small">
              {type.description}
            </p>
          ) : null}
        </div>
        {form.kind === "fields" ? (
          <fieldset>
            <legend>Parameters</legend>
            {form.fields.length === 0 ? <p class="muted small">This type takes no parameters.</p> : null}
            {form.fields.map((field) => (
              <ParamInput
                key={`${typeName}.${field.name}`}
                field={field}
                idPrefix={idPrefix}
                value={values[field.name] ?? ""}
                issue={issues[field.name]}
                onChange={(value) => setValues({ ...values, [field.name]: value })}
              />
            ))}
          </fieldset>
        ) : (
          <div class="field">
            <label for={`${idPrefix}-json`}>Parameters (JSON object)</label>
            <textarea
              id={`${idPrefix}-json`}
              class="mono"
              rows={6}
              spellcheck={false}
              aria-invalid={issues[wholeParamsKey] ? true : undefined}
              aria-describedby={issues[wholeParamsKey] ? `${idPrefix}-json-issue` : undefined}
              value={String(values[wholeParamsKey] ?? "")}
              onInput={(e) => setValues({ [wholeParamsKey]: e.currentTarget.value })}
            />
            {issues[wholeParamsKey] ? (
              <p id={`${idPrefix}-json-issue`} class="issue small">
                {issues[wholeParamsKey]}
              </p>
            ) : null}
          </div>
        )}
        <div class="field">
          <label for="job-priority">Priority</label>
          <input
            id="job-priority"
            type="number"
            inputMode="numeric"
            min={0}
            max={maxPriority}
            step={1}
            placeholder={type ? String(type.defaultPriority) : ""}
            value={priority}
            aria-describedby={issues[priorityKey] ? "job-priority-hint job-priority-issue" : "job-priority-hint"}
            aria-invalid={issues[priorityKey] ? true : undefined}
            onInput={(e) => setPriority(e.currentTarget.value)}
          />
          <p id="job-priority-hint" class="hint small">
            0 (lowest) to {maxPriority}; empty for the type's default ({type?.defaultPriority ?? 0})
          </p>
          {issues[priorityKey] ? (
            <p id="job-priority-issue" class="issue small">
              {issues[priorityKey]}
            </p>
          ) : null}
        </div>
        <div class="form-actions">
          <button type="submit" disabled={busy || !type}>
            {busy ? "Submitting…" : `Submit for ${credits(type?.cost ?? 0)}`}
          </button>
          <span class="muted small">Balance: {credits(session.me.balance)}</span>
        </div>
        <StatusMessage message={outcome} block />
      </form>
    </section>
  );
}
