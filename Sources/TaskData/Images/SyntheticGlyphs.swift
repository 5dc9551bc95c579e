import Autodiff

/// Procedurally drawn "characters": the default image data when no Omniglot is on the machine.
///
/// A class is a few random strokes (quadratic Bezier curves with control points in [-0.75, 0.75]^2 of
/// a [-1, 1]^2 canvas). A drawing of a class moves every control point a little (N(0, 0.09^2) each),
/// then rotates the whole glyph by theta ~ U[-20, 20] degrees, scales it by s ~ U[0.75, 1.15], shifts it
/// by up to 0.2 (2.4 pixels) each way, and strokes it with a width ~ U[1.2, 2.4] pixels, drawn
/// anti-aliased on a 28x28 canvas (ink = 1, paper = 0). The jitter is sized so that the 1-nearest-
/// neighbour pixel baseline scores about as on real Omniglot (5-way: near 46% 1-shot, 68% 5-shot,
/// against 42% and 62% on Omniglot's background characters). Each class has its own generator, seeded from
/// (seed, class index), so the first classes are the same whatever the total number of classes.
public enum SyntheticGlyphs {
    /// A data set of `classes` glyph classes with `drawingsPerClass` drawings each, grouped
    /// `classesPerGroup` classes to a group (the stand-in for alphabets).
    public static func dataset(classes: Int, drawingsPerClass: Int = 20, classesPerGroup: Int = 20,
                               seed: UInt64 = 0) -> ImageDataset {
        check(classes > 0 && drawingsPerClass > 0 && classesPerGroup > 0,
              "SyntheticGlyphs.dataset: counts must be positive, got \(classes), \(drawingsPerClass), \(classesPerGroup)")
        return ImageDataset(classes: (0..<classes).map { index in
            var generator = SeededGenerator(seed: seed ^ (UInt64(index) &+ 1) &* 0x9E37_79B9_7F4A_7C15)
            let prototype = Glyph.random(generator: &generator)
            var pixels: [Float] = []
            pixels.reserveCapacity(drawingsPerClass * ImageDataset.pixelsPerImage)
            for _ in 0..<drawingsPerClass { pixels += prototype.jittered(generator: &generator).render() }
            return ImageClass(name: "Glyphs\(pad(index / classesPerGroup))/glyph\(pad(index))",
                              group: "Glyphs\(pad(index / classesPerGroup))", pixels: pixels)
        })
    }

    private static func pad(_ n: Int) -> String {
        let digits = String(n)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

/// A point of the [-1, 1]^2 canvas.
struct Point {
    var x: Double
    var y: Double
}

/// A glyph: strokes of three control points each, plus the pen width in pixels.
struct Glyph {
    var strokes: [[Point]]
    var penWidth: Double

    /// Two to four strokes with control points uniform in [-0.75, 0.75]^2.
    static func random(generator: inout SeededGenerator) -> Glyph {
        let strokeCount = 2 + generator.int(below: 3)
        return Glyph(strokes: (0..<strokeCount).map { _ in
            (0..<3).map { _ in Point(x: generator.uniform(-0.75, 0.75), y: generator.uniform(-0.75, 0.75)) }
        }, penWidth: 1.8)
    }

    /// One drawing: p' = s R(theta) (p + e) + t, with e ~ N(0, 0.09^2) per point, and a new pen width.
    func jittered(generator: inout SeededGenerator) -> Glyph {
        let theta = generator.uniform(-20, 20) * Double.pi / 180
        let scale = generator.uniform(0.75, 1.15)
        let shift = Point(x: generator.uniform(-0.2, 0.2), y: generator.uniform(-0.2, 0.2))
        let (c, s) = (Double.cos(theta), Double.sin(theta))
        let moved = strokes.map { stroke in
            stroke.map { p -> Point in
                let x = p.x + generator.normal(standardDeviation: 0.09)
                let y = p.y + generator.normal(standardDeviation: 0.09)
                return Point(x: scale * (c * x - s * y) + shift.x, y: scale * (s * x + c * y) + shift.y)
            }
        }
        return Glyph(strokes: moved, penWidth: generator.uniform(1.2, 2.4))
    }

    /// Rasterizes to 28x28: canvas point u maps to pixel coordinate 14 + 12 u; a pixel's ink is
    /// clamp(width / 2 + 0.5 - d, 0, 1), d the distance from its centre to the nearest stroke.
    func render() -> [Float] {
        let side = ImageDataset.side
        var image = [Float](repeating: 0, count: side * side)
        let reach = penWidth / 2 + 0.5
        for stroke in strokes {
            // B(t) = (1-t)^2 P0 + 2 t (1-t) P1 + t^2 P2, as 12 straight segments.
            let points = (0...12).map { step -> Point in
                let t = Double(step) / 12, u = 1 - t
                let x = u * u * stroke[0].x + 2 * t * u * stroke[1].x + t * t * stroke[2].x
                let y = u * u * stroke[0].y + 2 * t * u * stroke[1].y + t * t * stroke[2].y
                return Point(x: 14 + 12 * x, y: 14 + 12 * y)
            }
            for (a, b) in zip(points, points.dropFirst()) {
                // The pixels the segment's ink can reach, clipped to the canvas; none when the
                // jittered stroke runs off it (the bounds then cross, and no range is formed).
                let (firstColumn, lastColumn) = (max(0, Int((min(a.x, b.x) - reach).rounded(.down))), min(side - 1, Int(max(a.x, b.x) + reach)))
                let (firstRow, lastRow) = (max(0, Int((min(a.y, b.y) - reach).rounded(.down))), min(side - 1, Int(max(a.y, b.y) + reach)))
                guard firstColumn <= lastColumn, firstRow <= lastRow else { continue }
                for row in firstRow...lastRow {
                    for column in firstColumn...lastColumn {
                        let d = distance(Point(x: Double(column) + 0.5, y: Double(row) + 0.5), a, b)
                        let ink = Float(min(1, max(0, reach - d)))
                        image[row * side + column] = max(image[row * side + column], ink)
                    }
                }
            }
        }
        return image
    }

    /// Distance from p to the segment ab: |p - (a + t (b - a))| with t = clamp((p - a).(b - a) / |b - a|^2, 0, 1).
    private func distance(_ p: Point, _ a: Point, _ b: Point) -> Double {
        let (dx, dy) = (b.x - a.x, b.y - a.y)
        let lengthSquared = dx * dx + dy * dy
        let t = lengthSquared == 0 ? 0 : min(1, max(0, ((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSquared))
        let (ex, ey) = (p.x - a.x - t * dx, p.y - a.y - t * dy)
        return (ex * ex + ey * ey).squareRoot()
    }
}
