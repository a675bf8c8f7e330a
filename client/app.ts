customElements.define('tether-app', class extends HTMLElement {});
