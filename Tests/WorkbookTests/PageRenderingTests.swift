import Foundation
import Testing
@testable import Notebook
@testable import Workbook
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Whether `text` parses as XML.
func parsesAsXML(_ text: String) -> Bool {
    XMLParser(data: Data(text.utf8)).parse()
}

@Suite("Math typesetting")
struct MathRendererTests {
    @Test("scripts, fractions and roots become the matching MathML elements")
    func structure() throws {
        #expect(try MathRenderer.mathML("x^2", display: false).contains("<msup><mi>x</mi><mn>2</mn></msup>"))
        #expect(try MathRenderer.mathML("\\theta_{k-1}", display: false)
            .contains("<msub><mi>θ</mi><mrow><mi>k</mi><mo>−</mo><mn>1</mn></mrow></msub>"))
        #expect(try MathRenderer.mathML("\\frac{a}{b}", display: true)
            .contains("<mfrac><mrow><mi>a</mi></mrow><mrow><mi>b</mi></mrow></mfrac>"))
        #expect(try MathRenderer.mathML("\\sqrt{v}", display: true).contains("<msqrt><mrow><mi>v</mi></mrow></msqrt>"))
        #expect(try MathRenderer.mathML("f''(x)", display: false).contains("<mrow><mi>f</mi><mo lspace=\"0\" rspace=\"0\">′′</mo></mrow>"))
        #expect(try MathRenderer.mathML("(-3, -x) - 1", display: false)
            .contains("<mo>(</mo><mo form=\"prefix\">−</mo><mn>3</mn><mo>,</mo><mo form=\"prefix\">−</mo><mi>x</mi><mo>)</mo><mo>−</mo>"))
        #expect(try MathRenderer.mathML("\\mathcal{L}", display: false).contains("<mi>ℒ</mi>"))
        #expect(try MathRenderer.mathML("\\tilde g", display: false).contains("<mover accent=\"true\"><mi>g</mi><mo>~</mo></mover>"))
    }

    @Test("big operators put their limits under and over only in displayed formulas")
    func limits() throws {
        #expect(try MathRenderer.mathML("\\sum_{i=1}^{n} x_i", display: true).contains("<munderover>"))
        let inline = try MathRenderer.mathML("\\sum_{i=1}^{n} x_i", display: false)
        #expect(inline.contains("<msubsup>") && !inline.contains("<munderover>"))
    }

    @Test("the output is namespaced, escaped and well-formed XML, with the source as annotation")
    func wellFormed() throws {
        let markup = try MathRenderer.mathML("a < b > c \\text{if x & y}", display: true)
        #expect(markup.hasPrefix("<math xmlns=\"http://www.w3.org/1998/Math/MathML\" display=\"block\">"))
        #expect(markup.contains("<mo>&lt;</mo>") && markup.contains("<mo>&gt;</mo>") && markup.contains("<mtext>if x &amp; y</mtext>"))
        #expect(markup.contains("<annotation encoding=\"application/x-tex\">a &lt; b &gt; c \\text{if x &amp; y}</annotation>"))
        #expect(parsesAsXML(markup))
    }

    @Test("unknown commands and unbalanced braces are errors that name the problem")
    func errors() {
        #expect { try MathRenderer.mathML("\\frobnicate{x}", display: true) } throws: { error in
            String(describing: error).contains("unknown command \\frobnicate")
        }
        #expect { try MathRenderer.mathML("\\frac{a}{b", display: true) } throws: { error in
            String(describing: error).contains("never closed")
        }
        #expect { try MathRenderer.mathML("a}", display: true) } throws: { error in
            String(describing: error).contains("closes nothing")
        }
        #expect(throws: PageError.self) { try MathRenderer.mathML("^2", display: true) }
    }

    @Test("plain text for the terminal uses Unicode scripts and spaced operators")
    func plain() throws {
        #expect(try MathRenderer.plainText("\\theta_1 = \\theta_0 - \\alpha \\nabla L(\\theta_0)") == "θ₁ = θ₀ − α∇L(θ₀)")
        #expect(try MathRenderer.plainText("x^{2} + \\frac{a}{b c}") == "x² + a/(bc)")
        #expect(try MathRenderer.plainText("[-3, 3]") == "[−3, 3]")
    }
}

@Suite("Light Markdown, escaping and numbers")
struct InlineTextTests {
    let inline = InlineText { $0 == "loss" ? Metric(value: 0.012345, digits: 3, unit: "ms") : nil }

    @Test("emphasis, code, math and metrics become their elements; text is escaped")
    func markup() throws {
        let html = try inline.html("a *b* `x<y && z` $x^2$ costs @{loss} & <b>")
        #expect(html.contains("<em>b</em>"))
        #expect(html.contains("<code>x&lt;y &amp;&amp; z</code>"))
        #expect(html.contains("<msup><mi>x</mi><mn>2</mn></msup>"))
        #expect(html.contains("<span class=\"metric\" data-key=\"loss\" data-value=\"0.012345\">0.0123&#xA0;ms</span>"))
        #expect(html.hasSuffix(" &amp; &lt;b&gt;"))
        #expect(try inline.plain("a *b* costs @{loss}") == "a b costs 0.0123 ms")
    }

    @Test("an unclosed marker or an unknown metric is an error")
    func errors() {
        #expect { try inline.html("a *b") } throws: { String(describing: $0).contains("never closed") }
        #expect { try inline.html("see @{nothing}") } throws: { String(describing: $0).contains("'nothing'") }
    }

    @Test("numbers keep their significant digits and use a true minus and powers of ten")
    func numbers() {
        #expect(NumberText.format(0.12345, digits: 3) == "0.123")
        #expect(NumberText.format(-2, digits: 3) == "−2")
        #expect(NumberText.format(1234.5678, digits: 3) == "1235")
        #expect(NumberText.format(1.5e-5, digits: 3) == "1.50 × 10⁻⁵")
        #expect(NumberText.format(-2.5e7, digits: 2) == "−2.5 × 10⁷")
    }

    @Test("code excerpts and page text are escaped in the HTML page, which parses as XML")
    func pageEscaping() throws {
        var page = Page(id: "t", title: "Less <than> & more")
        var section = PageSection(title: "A & B")
        section.blocks = [.code("if a < b && c > d { print(\"&amp;\") }", language: "swift"), .paragraph("1 < 2 & 3 > 2"),
                          .note(.warning, "careful: x<y")]
        page.sections = [section]
        let html = try HTMLPage(page: page, metrics: [:]).html()
        #expect(html.contains("<code>if a &lt; b &amp;&amp; c &gt; d { print(&quot;&amp;amp;&quot;) }</code>"))
        #expect(html.contains("<p>1 &lt; 2 &amp; 3 &gt; 2</p>"))
        #expect(html.contains("<title>Less &lt;than&gt; &amp; more</title>"))
        #expect(parsesAsXML(html))
    }

    @Test("inlined SVG loses its prolog and gets figure-specific ids")
    func svgInlining() {
        let svg = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<!-- made -->\n<svg><defs><clipPath id=\"f0-plot\"/></defs>"
            + "<g clip-path=\"url(#f0-plot)\"/></svg>"
        let inlined = SVGInlining.inline(svg, idPrefix: "loss")
        #expect(inlined == "<svg><defs><clipPath id=\"loss-f0-plot\"/></defs><g clip-path=\"url(#loss-f0-plot)\"/></svg>")
    }

    @Test("tables reject rows of the wrong length")
    func tables() {
        #expect(throws: PageError.self) { try ResultTable(header: ["a", "b"], rows: [[.text("1")]]) }
    }
}
