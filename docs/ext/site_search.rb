# docs/ext/site_search.rb
# A search box on every page of the site. The index is search-index.js, a script the build writes next to the pages
# after Asciidoctor (twolayer.site.SearchIndex); the box's code is docs/ext/search.js, inlined here so that the site
# needs no file beyond the index. Both are plain scripts, so the search works when the site is opened from disk
# (file://), where browsers refuse to fetch JSON.
require 'asciidoctor/extensions'

module TwolayerSiteSearch
  SCRIPT = File.read(File.join(__dir__, 'search.js'), encoding: 'UTF-8')

  BOX = %(<div id="site-search" role="search" style="position:fixed;top:0.4em;right:0.6em;z-index:1000;) +
        %(width:24em;max-width:90vw;font-size:0.9em">\n) +
        %(<input id="site-search-input" type="search" placeholder="Search the site" aria-label="Search the site" ) +
        %(autocomplete="off" style="width:100%;padding:0.3em;border:1px solid #bbb;border-radius:4px">\n) +
        %(<ol id="site-search-results" hidden style="margin:0.2em 0 0;padding:0.5em 0.5em 0.5em 2em;background:#fff;) +
        %(border:1px solid #bbb;border-radius:4px;max-height:70vh;overflow:auto;line-height:1.3"></ol>\n</div>\n)
end

Asciidoctor::Extensions.register do
  postprocessor do
    process do |doc, output|
      next output unless doc.basebackend? 'html'
      scripts = %(<script src="search-index.js"></script>\n<script>\n#{TwolayerSiteSearch::SCRIPT}</script>\n)
      output.sub(/<body[^>]*>\n?/) { |body| body + TwolayerSiteSearch::BOX }
            .sub('</body>') { scripts + '</body>' }
    end
  end
end
