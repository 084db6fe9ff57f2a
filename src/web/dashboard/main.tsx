import { render } from "preact";
import { App } from "./app.js";
import { takeLinkedToken } from "./auth/linked-token.js";
import "./styles.css";

// Before anything renders: a linked token leaves the address bar first.
const linkedToken = takeLinkedToken();
const root = document.getElementById("app");
if (root) {
  root.textContent = "";
  render(<App linkedToken={linkedToken} />, root);
}
