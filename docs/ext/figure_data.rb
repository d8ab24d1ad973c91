# docs/ext/figure_data.rb
# A line under every figure of the site that links its data: "Data: NAME.csv, made by CLASS, seed S (provenance:
# NAME.json)". twolayer.plot.Charts.saveSvg writes NAME.csv (every point the figure draws) and NAME.json (the class
# that drew it, its seed and the build command) next to NAME.svg in the figures directory, before Asciidoctor runs;
# this reads the JSON for the line's text. The links are relative (imagesdir/NAME.csv), so they work when the site
# is opened from disk. A figure without its data is a warning, which fails the build; an image that is not drawn
# from data (the package diagram) says so with the option nodata: image::packages.svg[...,opts=nodata].
require 'asciidoctor/extensions'
require 'json'

module TwolayerFigureData
  # The line for the image block, or nil (with a warning) when its data is missing.
  def self.line(doc, image)
    target = image.attr 'target'
    return nil unless target.end_with?('.svg') && !target.include?('/') && !target.include?(':')
    stem = target.delete_suffix('.svg')
    imagesdir = doc.attr 'imagesdir', 'figures'
    # the page's output directory: Asciidoctor sets the attribute outdir only after the tree processors have run
    outdir = doc.options[:to_dir] || doc.attr('outdir') || doc.attr('docdir', '.')
    dir = File.join(outdir.to_s, imagesdir)
    json_file = File.join(dir, "#{stem}.json")
    unless File.file?(json_file) && File.file?(File.join(dir, "#{stem}.csv"))
      Asciidoctor::LoggerManager.logger.warn "figure #{target} has no data file #{stem}.csv and #{stem}.json in " \
        "#{imagesdir}/: draw it through twolayer.plot.Charts.saveSvg, or mark it opts=nodata"
      return nil
    end
    meta = JSON.parse(File.read(json_file, encoding: 'UTF-8'))
    made = meta['made_by'] ? %(, made by `#{meta['made_by']}`) : ''
    seed = meta['seed'].nil? ? '' : %(, seed #{meta['seed']})
    %(Data: link:#{imagesdir}/#{stem}.csv[#{stem}.csv]#{made}#{seed} ) +
      %[(provenance and build command: link:#{imagesdir}/#{stem}.json[#{stem}.json])]
  end
end

Asciidoctor::Extensions.register do
  treeprocessor do
    process do |doc|
      next nil unless doc.basebackend? 'html'
      doc.find_by(context: :image).each do |image|
        next if image.option? 'nodata'
        text = TwolayerFigureData.line(doc, image)
        next if text.nil?
        parent = image.parent
        para = create_paragraph parent, text, { 'role' => 'figure-data' }, subs: :default
        parent.blocks.insert(parent.blocks.index(image) + 1, para)
      end
      nil
    end
  end
end
