// "Accept the suggestion": one click fills the triage form's category and lead unit (the person still creates
// the problem, so nothing is decided behind their back).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-dispatch-accept]");
  if (!button) return;
  const fields = { category: "id_new-category", unit: "id_new-lead_unit" };
  for (const [key, id] of Object.entries(fields)) {
    const value = button.dataset[key];
    const select = document.getElementById(id);
    if (value && select) {
      select.value = value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }
  const create = document.querySelector('details[data-decision="create"]');
  if (create) create.open = true;
  const note = button.parentElement.querySelector("[data-dispatch-accepted]");
  if (note) note.hidden = false;
  (document.getElementById("id_new-title") || button).focus();
});
