# docs/ext/offline_mathjax.rb
require 'asciidoctor/extensions'
Asciidoctor::Extensions.register do
  postprocessor do
    process do |doc, output|
      next output unless doc.basebackend? 'html'
      local = doc.attr 'mathjax-local', 'mathjax'
      output.sub %r{https?://cdnjs\.cloudflare\.com/ajax/libs/mathjax/[0-9.]+/MathJax\.js}, %(#{local}/MathJax.js)
    end
  end
end
