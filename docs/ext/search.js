// docs/ext/search.js: the search box of every page (inlined by site_search.rb). It reads window.TWOLAYER_SEARCH,
// which search-index.js (written by the build, twolayer.site.SearchIndex) assigns: a script beside the page, so the
// search also works when the site is opened from disk. A section matches when every word of the query occurs in its
// title or text; a word in the title counts ten times a word in the text.
(function () {
  var box = document.getElementById('site-search-input');
  var list = document.getElementById('site-search-results');
  if (!box || !list) {
    return;
  }
  var shown = 12;
  function escape(s) {
    return s.replace(/[&<>"]/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c];
    });
  }
  function snippet(text, word) {
    var at = Math.max(0, text.toLowerCase().indexOf(word));
    var from = Math.max(0, at - 60);
    return (from > 0 ? '... ' : '') + text.substr(from, 180) + (from + 180 < text.length ? ' ...' : '');
  }
  function show(items) {
    list.innerHTML = items.join('');
    list.hidden = items.length === 0;
  }
  function search(query) {
    var words = query.toLowerCase().split(/\s+/).filter(function (w) { return w.length > 0; });
    if (words.length === 0) {
      show([]);
      return;
    }
    var index = window.TWOLAYER_SEARCH;
    if (!index) {
      show(['<li>This copy of the site has no search index (search-index.js is written by the build).</li>']);
      return;
    }
    var hits = [];
    index.forEach(function (page) {
      page.sections.forEach(function (section) {
        var title = section.title.toLowerCase(), text = section.text.toLowerCase(), score = 0;
        for (var k = 0; k < words.length; k++) {
          var inTitle = title.indexOf(words[k]) >= 0, inText = text.indexOf(words[k]) >= 0;
          if (!inTitle && !inText) {
            return;
          }
          score += (inTitle ? 10 : 0) + (inText ? 1 : 0);
        }
        hits.push({page: page, section: section, score: score});
      });
    });
    hits.sort(function (a, b) { return b.score - a.score; });
    var items = hits.slice(0, shown).map(function (hit) {
      var href = hit.page.file + (hit.section.id ? '#' + hit.section.id : '');
      var where = hit.section.id ? hit.page.title + ' \u203a ' + hit.section.title : hit.page.title;
      return '<li><a href="' + escape(href) + '">' + escape(where) + '</a><br><small>'
          + escape(snippet(hit.section.text, words[0])) + '</small></li>';
    });
    if (hits.length > shown) {
      items.push('<li><small>' + (hits.length - shown) + ' more sections match; add a word to narrow the search.'
          + '</small></li>');
    }
    show(items.length > 0 ? items : ['<li>No section contains every word of "' + escape(query) + '".</li>']);
  }
  box.addEventListener('input', function () { search(box.value); });
  box.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') {
      box.value = '';
      show([]);
    }
  });
})();
