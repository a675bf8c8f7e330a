// Applies the theme cached by the page (client/theme-cache.ts, key 'tether:theme') before the first
// paint, so a reload of a dark session does not flash light. A file, not inline: the CSP is script-src 'self'.
try {
  const theme = localStorage.getItem('tether:theme');
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
} catch (e) {
  // Storage unavailable: the page applies the session's theme once it has loaded.
}
