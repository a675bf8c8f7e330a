// Shared look: system font, cards, buttons and fields (Lit adoptedStyleSheets, CSP-safe); colours come from page.css.
import { css } from 'lit';

/**
 * The text settings every component starts from. The colour tokens (--fg, --card, --accent, …) are
 * set once on the document in page.css, where the theme switches them, and inherit into here.
 */
export const tokens = css`
  :host {
    font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
    color: var(--fg);
    line-height: 1.5;
  }
`;

/** Cards, headings, buttons, fields and messages used by every view. */
export const base = css`
  * {
    box-sizing: border-box;
  }
  h1,
  h2,
  h3 {
    line-height: 1.25;
    margin: 0 0 0.75rem;
  }
  h1 {
    font-size: 1.5rem;
  }
  h2 {
    font-size: 1.15rem;
  }
  p {
    margin: 0 0 0.75rem;
  }
  .card {
    background: var(--card);
    border: 1px solid var(--line);
    border-radius: var(--radius);
    padding: 1.25rem;
    box-shadow: 0 1px 2px rgb(0 0 0 / 0.05);
  }
  /* A panel fills its grid cell, so the cards of one dashboard row end level. */
  :host > .card {
    height: 100%;
  }
  /* A panel's heading row: its title and, for live panels, whether it is up to date. */
  .panel-head {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem 1rem;
    margin-bottom: 0.9rem;
  }
  .panel-head h2 {
    margin: 0;
  }
  .pill {
    display: inline-flex;
    align-items: center;
    gap: 0.4rem;
    padding: 0.05rem 0.6rem;
    border: 1px solid var(--line);
    border-radius: 999px;
    font-size: 0.8rem;
    font-weight: 600;
    color: var(--muted);
    white-space: nowrap;
  }
  .pill::before {
    content: '';
    width: 0.5rem;
    height: 0.5rem;
    border-radius: 50%;
    background: var(--muted);
  }
  .pill.live::before {
    background: var(--ok);
  }
  .numeric {
    font-variant-numeric: tabular-nums;
  }
  .muted {
    color: var(--muted);
    font-size: 0.925rem;
  }
  .field {
    display: grid;
    gap: 0.3rem;
    margin-bottom: 0.9rem;
  }
  label {
    font-weight: 600;
    font-size: 0.95rem;
  }
  input {
    font: inherit;
    color: inherit;
    background: var(--card);
    /* --field-line, not --line: a field's edge must show (3:1, see page.css). */
    border: 1px solid var(--field-line);
    border-radius: 8px;
    padding: 0.6rem 0.7rem;
    width: 100%;
  }
  input:focus-visible,
  button:focus-visible {
    outline: 3px solid color-mix(in srgb, var(--accent) 45%, transparent);
    outline-offset: 2px;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.6rem;
    align-items: center;
  }
  button {
    font: inherit;
    font-weight: 600;
    border-radius: 8px;
    padding: 0.55rem 1rem;
    cursor: pointer;
    border: 1px solid var(--accent);
    background: transparent;
    color: var(--accent);
    min-height: 2.5rem;
  }
  button.primary {
    background: var(--accent);
    color: var(--accent-fg);
  }
  button.danger {
    border-color: var(--danger);
    color: var(--danger);
  }
  button:disabled {
    opacity: 0.6;
    cursor: progress;
  }
  .alert,
  .status {
    border-radius: 8px;
    padding: 0.6rem 0.8rem;
    margin: 0 0 0.9rem;
  }
  .alert {
    border: 1px solid color-mix(in srgb, var(--danger) 50%, transparent);
    color: var(--danger);
    background: color-mix(in srgb, var(--danger) 8%, var(--card));
  }
  .status {
    border: 1px solid color-mix(in srgb, var(--ok) 45%, transparent);
    color: var(--ok);
    background: color-mix(in srgb, var(--ok) 8%, var(--card));
  }
  .status.neutral {
    border-color: var(--line);
    color: var(--fg);
    background: var(--bg);
  }
`;
