// Minbar's one script: progressive enhancement only; every page works without it.
// Typeahead for long pickers: a search box above each <select data-typeahead> that
// narrows its options as you type, Arabic-aware (hamza, teh marbuta, alef maqsura,
// harakat, tatweel) and Turkish-aware (typing without ş ğ ı ö ü ç finds them).
(function () {
  'use strict';
  function fold(s) {
    return (s || '')
      .replace(/[\u064B-\u065F\u0670\u0640]/g, '')
      .replace(/[\u0622\u0623\u0625\u0671]/g, '\u0627')
      .replace(/\u0649/g, '\u064A')
      .replace(/\u0629/g, '\u0647')
      .replace(/[\u0624\u0626]/g, '\u0621')
      .replace(/\u06CC/g, '\u064A')
      .replace(/\u06A9/g, '\u0643')
      .replace(/\u0130/g, 'i').replace(/I/g, '\u0131')
      .toLowerCase()
      .replace(/\u0131/g, 'i').replace(/\u015F/g, 's').replace(/\u011F/g, 'g')
      .replace(/\u00F6/g, 'o').replace(/\u00FC/g, 'u').replace(/\u00E7/g, 'c')
      .normalize('NFD').replace(/[\u0300-\u036F]/g, '');
  }
  function enhance(select) {
    var box = document.createElement('input');
    box.type = 'search';
    box.className = 'typeahead';
    box.setAttribute('aria-label', select.getAttribute('data-typeahead') || '');
    box.placeholder = select.getAttribute('data-typeahead') || '';
    select.parentNode.insertBefore(box, select);
    box.addEventListener('input', function () {
      var q = fold(box.value.trim());
      var options = select.querySelectorAll('option');
      for (var i = 0; i < options.length; i++) {
        var o = options[i];
        var hit = !q || o.selected || fold(o.textContent + ' ' + o.value).indexOf(q) !== -1;
        o.hidden = !hit;
      }
    });
  }
  // An activity type's suggestions follow the chosen sector (options carry data-sector).
  function typesFollowSector(sector, list) {
    function sync() {
      var options = list.querySelectorAll('option');
      for (var i = 0; i < options.length; i++) {
        options[i].disabled = !!sector.value && options[i].getAttribute('data-sector') !== sector.value;
      }
    }
    sector.addEventListener('change', sync);
    sync();
  }
  document.addEventListener('DOMContentLoaded', function () {
    var selects = document.querySelectorAll('select[data-typeahead]');
    for (var i = 0; i < selects.length; i++) enhance(selects[i]);
    var sector = document.getElementById('f-sector'), types = document.getElementById('f-types');
    if (sector && types) typesFollowSector(sector, types);
  });
})();
