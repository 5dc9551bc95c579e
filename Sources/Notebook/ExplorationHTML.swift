import Foundation

/// The HTML of an exploration: its controls, every setting's drawing and numbers (all but the
/// initial one hidden), and the small script that shows the setting the controls name.
///
/// Without scripts the page still shows the initial setting; nothing is ever fetched.
enum ExplorationHTML {
    /// The exploration as one `<figure class="explore">`.
    static func html(_ exploration: PageExploration, inline: InlineText) throws -> String {
        let name = HTMLText.escape(exploration.name)
        var html = "<figure class=\"explore\" id=\"explore-\(name)\" data-controls=\"\(exploration.controls.map(\.id).joined(separator: " "))\">\n"
        html += "<figcaption class=\"title\">\(HTMLText.escape(exploration.title))</figcaption>\n<div class=\"controls\">\n"
        for control in exploration.controls { html += try controlHTML(control, exploration: name, inline: inline) }
        html += "</div>\n"
        for (index, variant) in exploration.variants.enumerated() {
            let hidden = variant.setting.key == exploration.initialKey ? "" : " hidden=\"hidden\""
            let svg = SVGInlining.inline(variant.svg, idPrefix: "\(exploration.name)-v\(index)")
            let numbers = try variant.numbers.map { number in
                "<div class=\"key\"><div class=\"value\">\(try inline.metricHTML(number.key))</div>"
                    + "<div class=\"label\">\(try inline.html(number.label))</div></div>"
            }.joined()
            html += "<div class=\"variant\" data-setting=\"\(variant.setting.key)\"\(hidden)>"
                + "<p class=\"setting\">\(try settingHTML(variant.setting, inline: inline))"
                + (variant.note.map { " <span class=\"remark\">\(HTMLText.escape($0))</span>" } ?? "") + "</p>"
                + "<div class=\"drawing\">\(svg)</div><div class=\"keys\">\(numbers)</div></div>\n"
        }
        let sentence = "This explorer holds a result for each of \(exploration.sizeText), all computed when this page "
            + "was made (\(String(format: "%.0f", exploration.seconds)) s in all); moving a control shows the one for that setting."
        html += "<noscript><p class=\"setting\">Scripts are off, so only the first setting is shown.</p></noscript>\n"
        html += "<figcaption>\(try inline.html(exploration.caption)) \(HTMLText.escape(sentence)) "
            + "<span class=\"files\"><a href=\"\(name).csv\">grid (CSV)</a> · <a href=\"\(name)/\">each setting's drawing data</a></span>"
            + "</figcaption>\n</figure>\n"
        return html
    }

    /// A slider, or a group of radio buttons, that sets one control.
    private static func controlHTML(_ control: ExploreControl, exploration: String, inline: InlineText) throws -> String {
        let id = "\(exploration)-\(control.id)"
        let label = try inline.html(control.label)
        switch control.kind {
        case .slider:
            let texts = HTMLText.escape(control.texts.joined(separator: "|"))
            let initial = HTMLText.escape(control.texts[control.initial])
            return "<label class=\"name\" for=\"\(id)\">\(label)</label>"
                + "<input type=\"range\" id=\"\(id)\" data-control=\"\(control.id)\" min=\"0\" max=\"\(control.values.count - 1)\" "
                + "step=\"1\" value=\"\(control.initial)\" data-texts=\"\(texts)\" aria-valuetext=\"\(initial)\"/>"
                + "<output for=\"\(id)\">\(initial)</output>\n"
        case .choice:
            let options = control.texts.enumerated().map { index, text in
                "<label><input type=\"radio\" name=\"\(id)\" data-control=\"\(control.id)\" value=\"\(index)\""
                    + (index == control.initial ? " checked=\"checked\"" : "") + "/> \(HTMLText.escape(text))</label>"
            }.joined(separator: " ")
            return "<span class=\"name\" id=\"\(id)-name\">\(label)</span>"
                + "<span class=\"choices\" role=\"radiogroup\" aria-labelledby=\"\(id)-name\">\(options)</span>\n"
        }
    }

    /// "inner rate α 0.01 · inner steps K 3": the setting a variant shows.
    private static func settingHTML(_ setting: ExploreSetting, inline: InlineText) throws -> String {
        try zip(setting.controls, setting.indices).map { control, index in
            "\(try inline.html(control.label)) <strong>\(HTMLText.escape(control.texts[index]))</strong>"
        }.joined(separator: " · ")
    }

    /// Shows, in every exploration of the page, the variant its controls name. Written without
    /// `<` or `&` and wrapped in CDATA, so the page still parses as XML.
    static let script = """
        <script>//<![CDATA[
        document.querySelectorAll('figure.explore').forEach(function (box) {
          var ids = box.getAttribute('data-controls').split(' ');
          function chosen(id) {
            var slider = box.querySelector('input[type=range][data-control="' + id + '"]');
            if (slider) return slider.value;
            var checked = box.querySelector('input[data-control="' + id + '"]:checked');
            return checked ? checked.value : '0';
          }
          function update() {
            box.querySelectorAll('input[type=range]').forEach(function (slider) {
              var text = slider.getAttribute('data-texts').split('|')[Number(slider.value)];
              slider.setAttribute('aria-valuetext', text);
              var output = box.querySelector('output[for="' + slider.id + '"]');
              if (output) output.textContent = text;
            });
            var key = ids.map(chosen).join('-');
            box.querySelectorAll('.variant').forEach(function (variant) {
              variant.hidden = variant.getAttribute('data-setting') !== key;
            });
          }
          box.addEventListener('input', update);
          box.addEventListener('change', update);
          update();
        });
        //]]></script>
        """

    /// The controls' and variants' styles, in the page's light and dark colours.
    static let stylesheet = """
        figure.explore { border: 1px solid var(--rule); border-radius: 10px; padding: 0.8rem; }
        .explore .controls { display: grid; grid-template-columns: max-content 1fr 4.5rem; gap: 0.4rem 0.9rem; align-items: center;
                             background: var(--panel); border-radius: 8px; padding: 0.7rem 1rem; margin-bottom: 0.6rem;
                             font-family: system-ui, -apple-system, "Segoe UI", sans-serif; font-size: 0.92rem; }
        .explore .controls input[type=range] { width: 100%; accent-color: var(--accent); }
        .explore .controls output { font-variant-numeric: tabular-nums; font-weight: 600; }
        .explore .choices { grid-column: 2 / 4; display: flex; flex-wrap: wrap; gap: 0.4rem 1.2rem; }
        .explore .variant[hidden] { display: none; }
        .explore .setting { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; font-size: 0.85rem; color: var(--muted); margin: 0 0 0.4rem; }
        .explore .setting strong { color: var(--text); }
        .explore .setting .remark { color: var(--warn); }
        """
}
