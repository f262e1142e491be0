"use strict";
// Each chosen file is uploaded at once with a progress bar, then the form is saved (so
// nothing typed is lost). Without JavaScript the files travel with the form when saved.
document.querySelectorAll("input.upload").forEach(function (input) {
  input.addEventListener("change", function () {
    var file = input.files[0];
    if (!file) return;
    var form = input.form;
    var bar = input.parentElement.querySelector("progress");
    var note = input.parentElement.querySelector(".upload-error");
    if (!note) {
      note = document.createElement("span");
      note.className = "error upload-error";
      note.setAttribute("role", "alert");
      input.parentElement.appendChild(note);
    }
    note.textContent = "";
    bar.hidden = false;
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    data.append("action", "upload");
    data.append("slot", input.dataset.slot);
    data.append("file", file);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", window.location.pathname);
    xhr.setRequestHeader("X-Requested-With", "fetch");
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) bar.value = (100 * e.loaded) / e.total;
    };
    xhr.onload = function () {
      input.value = "";
      if (xhr.status === 200) {
        var save = document.createElement("input");
        save.type = "hidden";
        save.name = "action";
        save.value = "save";
        form.appendChild(save);
        form.submit();
        return;
      }
      bar.hidden = true;
      var message = "No se pudo subir el fichero.";
      try { message = JSON.parse(xhr.responseText).message; } catch (e) { /* keep the default */ }
      note.textContent = message;
    };
    xhr.onerror = function () { bar.hidden = true; note.textContent = "No se pudo subir el fichero."; };
    xhr.send(data);
  });
});
