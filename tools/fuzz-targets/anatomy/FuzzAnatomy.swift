// libFuzzer target `anatomy` (tools/fuzz anatomy): the input, as UTF-8 text, goes
// through every parser in Sources/Anatomy, with and without transitional levels.
//
// Besides "never traps", it checks what the parsers promise: whatever parses prints in
// a canonical form that parses back to the same value, a failure has a message, and a
// parsed site can be searched for (the archive's interval and the matching code).
import Anatomy

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAnatomy(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    // Transitional levels (T13, L6) change the reading only where those numbers are written.
    let transitional = text.contains("13") || text.contains("6")
    for options in transitional ? [.standard, .allowingTransitionalLevels] : [AnatomyParsingOptions.standard] {
        checkSite(text, options: options)
        checkSpan(text, options: options)
        checkLevel(text, options: options)
    }
    checkRegion(text)
    checkLaterality(text)
    checkStructure(text)
    return 0
}

/// Stops the run with a message libFuzzer prints beside the input that broke the promise.
func promise(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("broken promise: \(message())") }
}

func explained(_ error: AnatomyParseError) {
    promise(!error.description.isEmpty, "an error without a message: \(error)")
}

/// Fixed sites to match a parsed site against, as the archive's search does.
let probes: [AnatomicSite] = ["L4", "L4-L5", "left SI joint", "T7 rib", "lumbar", "sternum", "C1-coccyx", "right L5-S1"]
    .map { try! AnatomicSite(parsing: $0, options: .allowingTransitionalLevels) }

func checkSite(_ text: String, options: AnatomyParsingOptions) {
    let site: AnatomicSite
    do {
        site = try AnatomicSite(parsing: text, options: options)
    } catch {
        return explained(error)
    }
    let canonical = site.description
    do {
        let again = try AnatomicSite(parsing: canonical, options: options)
        promise(again == site, "site \(text.debugDescription) prints as \(canonical.debugDescription), which reads back as \(again)")
    } catch {
        promise(false, "site \(text.debugDescription) prints as \(canonical.debugDescription), which does not parse: \(error)")
    }
    let interval = site.searchInterval
    promise(site.spanLow == interval.lowerBound && site.spanHigh == interval.upperBound, "search interval of \(site)")
    _ = site.bodyPartExamined
    _ = site.span?.levels
    _ = site.span?.kind
    for probe in probes {
        for exact in [false, true] {
            if let match = SiteQuery(probe, exactOnly: exact).match(site) {
                promise(match.tagUnits > 0 && match.coveredUnits > 0 && match.coveredUnits <= match.tagUnits,
                        "query \(probe) against \(site) gives coverage \(match.coveredUnits)/\(match.tagUnits)")
            }
            _ = SiteQuery(site, exactOnly: exact).match(probe)
        }
    }
    promise(SiteQuery(site).matches(site), "\(site) does not match itself")
}

func checkSpan(_ text: String, options: AnatomyParsingOptions) {
    let span: VertebralSpan
    do {
        span = try VertebralSpan(parsing: text, options: options)
    } catch {
        return explained(error)
    }
    promise(span.upper <= span.lower, "span \(text.debugDescription) is upside down: \(span)")
    promise(!span.levels.isEmpty, "span \(span) covers no levels")
    do {
        let again = try VertebralSpan(parsing: span.description, options: options)
        promise(again == span, "span \(text.debugDescription) prints as \(span), which reads back as \(again)")
    } catch {
        promise(false, "span \(text.debugDescription) prints as \(span), which does not parse: \(error)")
    }
}

func checkLevel(_ text: String, options: AnatomyParsingOptions) {
    let level: VertebralLevel
    do {
        level = try VertebralLevel(parsing: text, options: options)
    } catch {
        return explained(error)
    }
    promise(VertebralLevel(region: level.region, number: level.number) == level, "level \(level) by region and number")
    _ = level.snomedCode
    do {
        let again = try VertebralLevel(parsing: level.description, options: options)
        promise(again == level, "level \(text.debugDescription) prints as \(level), which reads back as \(again)")
    } catch {
        promise(false, "level \(text.debugDescription) prints as \(level), which does not parse: \(error)")
    }
}

func checkRegion(_ text: String) {
    guard let region = try? SpinalRegion(parsing: text) else { return }
    _ = region.span
    promise((try? SpinalRegion(parsing: region.description)) == region, "region \(region) does not read back")
}

func checkLaterality(_ text: String) {
    let side: Laterality
    do {
        side = try Laterality(parsing: text)
    } catch {
        return explained(error)
    }
    _ = side.dicomImageLaterality
    _ = side.snomedCode
    promise((try? Laterality(parsing: side.description)) == side, "side \(side) does not read back")
}

func checkStructure(_ text: String) {
    let structure: TargetStructure
    do {
        structure = try TargetStructure(parsing: text)
    } catch {
        return explained(error)
    }
    promise((try? TargetStructure(parsing: structure.id.rawValue))?.id == structure.id,
            "structure id \(structure.id) does not find \(structure.id)")
}
