// The shout box on the page: a Lit element whose state and events are typed by the shared schemas.
import { LitElement, html } from 'lit';
import { LiveViewController } from 'tether-session/client';
import { shoutSchemas } from './shout.js';

export class ShoutBox extends LitElement {
  // Joins while the element is connected, re-renders on every patch, leaves when it is removed.
  readonly #shout = new LiveViewController(this, shoutSchemas);

  override render() {
    return html`
      <ul>${this.#shout.state?.shouts.map((s) => html`<li>${s.by}: ${s.text}</li>`)}</ul>
      <form @submit=${this.#post}>
        <input name="text" maxlength="140" required />
        <button ?disabled=${!this.#shout.live}>Shout</button>
      </form>
    `;
  }

  readonly #post = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const text = String(new FormData(form).get('text') ?? '');
    // send('post', …) takes exactly the payload of shoutSchemas.events.post: a typo does not compile.
    const ack = await this.#shout.send('post', { text });
    if (ack.ok) form.reset();
  };
}
customElements.define('shout-box', ShoutBox);
