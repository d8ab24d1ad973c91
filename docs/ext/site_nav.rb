# docs/ext/site_nav.rb
# Previous/next links at the foot of every chapter page, in the reading order of the index, and a footer that says
# which build this is: the project version (attribute project-version, set by the pom), the git commit of the
# sources (with "+ local changes" when the work tree differs from it) and the JDK that ran the build.
require 'asciidoctor/extensions'
require 'open3'

module TwolayerSiteNav
  # The reading order of the site (docs/index.adoc lists the same chapters in the same order).
  ORDER = [
    ['index', 'Contents'],
    ['notation', 'Notation'],
    ['model', 'The model and its parameterisations'],
    ['gradient-flow', 'Gradient flow and gradient descent'],
    ['ntk', 'Linearisation and the NTK'],
    ['lazy-training', 'Lazy training'],
    ['mean-field', 'The mean-field limit'],
    ['mfld', 'Mean-field Langevin dynamics'],
    ['two-timescale', 'Two-timescale training'],
    ['scalings', 'The zoo of width scalings'],
    ['phase-diagram', 'The phase diagram'],
    ['baseline', 'Using twolayer as a baseline'],
    ['ledger', 'The claims ledger'],
    ['bibliography', 'Bibliography'],
    ['glossary', 'Glossary and symbol index']
  ].freeze

  # The commit of the sources, or "unknown commit" where there is no git (a source archive).
  def self.commit(dir)
    out, status = Open3.capture2('git', '-C', dir, 'rev-parse', '--short=12', 'HEAD', err: File::NULL)
    return 'unknown commit' unless status.success?
    dirty, = Open3.capture2('git', '-C', dir, 'status', '--porcelain', '--untracked-files=no', err: File::NULL)
    "commit #{out.strip}#{dirty.strip.empty? ? '' : ' + local changes'}"
  rescue StandardError
    'unknown commit'
  end

  def self.link(entry, rel, label)
    %(<a rel="#{rel}" href="#{entry[0]}.html">#{label}: #{entry[1]}</a>)
  end
end

Asciidoctor::Extensions.register do
  postprocessor do
    process do |doc, output|
      next output unless doc.basebackend? 'html'
      name = doc.attr 'docname'
      index = TwolayerSiteNav::ORDER.index { |e| e[0] == name }
      nav = ''
      unless index.nil?
        prev_entry = index > 0 ? TwolayerSiteNav::ORDER[index - 1] : nil
        next_entry = TwolayerSiteNav::ORDER[index + 1]
        parts = []
        parts << TwolayerSiteNav.link(prev_entry, 'prev', 'Previous') if prev_entry
        parts << %(<a href="index.html">Contents</a>) unless name == 'index'
        parts << TwolayerSiteNav.link(next_entry, 'next', 'Next') if next_entry
        nav = %(<nav id="chapter-nav" style="max-width:62.5em;margin:2em auto 0;padding:0 1em;display:flex;) +
              %(justify-content:space-between;gap:1em">#{parts.join(' ')}</nav>\n)
      end
      java = defined?(ENV_JAVA) ? ENV_JAVA['java.version'] : nil
      build = "twolayer #{doc.attr 'project-version', 'unversioned'}, " \
              "#{TwolayerSiteNav.commit(File.expand_path('..', doc.attr('docdir', '.')))}" \
              "#{java ? ", built with JDK #{java}" : ''}"
      output.sub('<div id="footer">', %(#{nav}<div id="footer">))
            .sub('<div id="footer-text">', %(<div id="footer-text">#{build}<br>\n))
    end
  end
end
