// The browser entry: defines <tether-app> and, through it, every other element of the page.
import './app.js';
