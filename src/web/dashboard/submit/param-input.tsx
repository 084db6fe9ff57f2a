import { labelOf, placeholderOf, type ParamField } from "./params-form.js";
import { acceptText } from "./upload-files.js";
import { UploadInput } from "./upload-input.js";

interface ParamInputProps {
  field: ParamField;
  /** Unique per form, so ids do not clash across job types. */
  idPrefix: string;
  value: string | boolean;
  issue?: string;
  onChange(value: string | boolean): void;
}

/** One params field: a labelled input of the kind its schema asks for, with its hint and its issue. */
export function ParamInput({ field, idPrefix, value, issue, onChange }: ParamInputProps) {
  const id = `${idPrefix}-${field.name}`;
  const hintId = `${id}-hint`;
  const issueId = `${id}-issue`;
  const describedBy = [hints(field) ? hintId : "", issue ? issueId : ""].filter(Boolean).join(" ") || undefined;
  const common = { id, name: field.name, "aria-describedby": describedBy, "aria-invalid": issue ? true : undefined, required: field.required };
  const text = typeof value === "string" ? value : "";

  let input;
  switch (field.kind) {
    case "boolean":
      return (
        <div class="field checkbox">
          <input type="checkbox" {...common} required={false} checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} />
          <label for={id}>{labelOf(field.name)}</label>
          <FieldNotes field={field} hintId={hintId} issueId={issueId} issue={issue} />
        </div>
      );
    case "enum":
      input = (
        <select {...common} value={text} onChange={(e) => onChange(e.currentTarget.value)}>
          {field.required && text !== "" ? null : <option value="">{field.required ? "Choose…" : "(default)"}</option>}
          {field.options?.map((option) => (
            <option key={String(option)} value={String(option)}>
              {String(option)}
            </option>
          ))}
        </select>
      );
      break;
    case "integer":
    case "number":
      input = (
        <input
          type="number"
          inputMode={field.kind === "integer" ? "numeric" : "decimal"}
          step={field.kind === "integer" ? 1 : "any"}
          min={field.minimum}
          max={field.maximum}
          {...common}
          value={text}
          onInput={(e) => onChange(e.currentTarget.value)}
        />
      );
      break;
    case "upload":
      input = <UploadInput field={field} inputProps={common} value={text} onChange={onChange} />;
      break;
    case "string":
      input =
        (field.maxLength ?? 0) > 200 ? (
          <textarea {...common} rows={3} maxLength={field.maxLength} value={text} onInput={(e) => onChange(e.currentTarget.value)} />
        ) : (
          <input type="text" {...common} maxLength={field.maxLength} value={text} onInput={(e) => onChange(e.currentTarget.value)} />
        );
      break;
    default:
      input = (
        <textarea class="mono" {...common} rows={2} spellcheck={false} placeholder={placeholderOf(field)} value={text} onInput={(e) => onChange(e.currentTarget.value)} />
      );
  }
  return (
    <div class="field">
      <label for={id}>
        {labelOf(field.name)}
        {field.required ? <span aria-hidden="true"> *</span> : null}
        {field.kind === "json" ? <span class="muted small"> (JSON)</span> : null}
      </label>
      {input}
      <FieldNotes field={field} hintId={hintId} issueId={issueId} issue={issue} />
    </div>
  );
}

function hints(field: ParamField): string {
  const parts: string[] = [];
  if (field.description) parts.push(field.description);
  if (field.kind === "upload") parts.push(field.accept && acceptText(field.accept) ? `a file of type ${acceptText(field.accept)}, uploaded as soon as it is picked` : "a file, uploaded as soon as it is picked");
  if (field.minimum !== undefined && field.maximum !== undefined) parts.push(`${field.minimum} to ${field.maximum}`);
  else if (field.minimum !== undefined) parts.push(`at least ${field.minimum}`);
  else if (field.maximum !== undefined) parts.push(`at most ${field.maximum}`);
  if (field.maxLength !== undefined) parts.push(`up to ${field.maxLength} characters`);
  if (!field.required && field.defaultValue !== undefined && field.kind !== "json") parts.push(`default ${JSON.stringify(field.defaultValue)}`);
  return parts.join(" · ");
}

function FieldNotes({ field, hintId, issueId, issue }: { field: ParamField; hintId: string; issueId: string; issue?: string }) {
  const hint = hints(field);
  return (
    <>
      {hint ? (
        <p id={hintId} class="hint small">
          {hint}
        </p>
      ) : null}
      {issue ? (
        <p id={issueId} class="issue small">
          {issue}
        </p>
      ) : null}
    </>
  );
}
