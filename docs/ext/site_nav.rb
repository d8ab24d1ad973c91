# docs/ext/site_nav.rb
# Previous/next links at the foot of every chapter page, in the reading order of the index, and a footer that says
# which build this is: the project version (attribute project-version, set by the pom), the git commit of the
# sources (with "+ local changes" when the work tree differs from it) and the JDK that ran the build.
require 'asciidoctor/extensions'
require 'shellwords'

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
    ['performance', 'Performance against NumPy'],
    ['replications', "Replications at the papers' scale"],
    ['ledger', 'The claims ledger'],
    ['architecture', 'Architecture'],
    ['bibliography', 'Bibliography'],
    ['glossary', 'Glossary and symbol index']
  ].freeze

  # The commit of the sources, or "unknown commit" where there is no git (a source archive).
  # (Backticks, not Open3: under the JRuby of the Maven plugin Open3 lets the child's output through uncaptured.)
  def self.commit(dir)
    @commit ||= begin
      git = "git -C #{Shellwords.escape(dir)}"
      out = `#{git} rev-parse --short=12 HEAD 2>/dev/null`.strip
      if $?.success? && !out.empty?
        dirty = `#{git} status --porcelain --untracked-files=no 2>/dev/null`.strip
        "commit #{out}#{dirty.empty? ? '' : ' + local changes'}"
      else
        'unknown commit'
      end
    rescue StandardError
      'unknown commit'
    end
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
