// Goal form: show only the fields the chosen kind of goal uses.
const KIND_FIELDS = {
  skill: ["skill", "target_level"],
  course: ["target_ref"],
  path: ["target_ref"],
  talk: ["target_value", "unit"],
  mentor: ["target_value", "unit"],
  custom: ["target_value", "unit"],
};
const ALL_KIND_FIELDS = ["skill", "target_level", "target_ref", "target_value", "unit"];

function showFieldsFor(kind) {
  const form = kind.form;
  const wanted = KIND_FIELDS[kind.value] || ALL_KIND_FIELDS;
  for (const name of ALL_KIND_FIELDS) {
    const field = form.querySelector(`[data-field="${name}"]`);
    if (field) {
      field.hidden = !wanted.includes(name);
    }
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const kind = document.querySelector("select[name=kind]");
  if (kind && kind.form) {
    showFieldsFor(kind);
    kind.addEventListener("change", () => showFieldsFor(kind));
  }
});
