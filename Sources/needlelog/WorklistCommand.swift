import ArgumentParser
import DICOMNetwork
import Foundation
import Server

/// `needlelog worklist --from AE@HOST:PORT [--date D] [--modality US] [--station AE] [--json]`:
/// the procedures the RIS has scheduled, from its modality worklist (C-FIND).
struct WorklistCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worklist",
        abstract: "List the procedures the RIS scheduled (DICOM modality worklist).",
        discussion: """
            Asks the worklist server (--from, else [dicom] worklist in the daemon's settings file) for \
            scheduled procedure steps of a day and a modality, optionally for one station, and prints \
            patient, order and schedule. An empty worklist prints "no procedures scheduled".
            """
    )

    @Option(help: ArgumentHelp("The worklist server, e.g. RIS@ris.clinic.local:104 (default: [dicom] worklist).", valueName: "AE@HOST:PORT")) var from: String?
    @Option(help: "The day: today, all, YYYY-MM-DD, or YYYY-MM-DD..YYYY-MM-DD.") var date = "today"
    @Option(help: "The modality scheduled; \"any\" for all.") var modality = "US"
    @Option(help: ArgumentHelp("Only steps scheduled for this station's AE title.", valueName: "AE")) var station: String?
    @Option(help: "NeedleLog's own AE title, as the worklist server knows it (default: [dicom] ae_title, else NEEDLELOG).") var aeTitle: String?
    @Option(help: "Seconds to wait for each step (connect, accept, each answer, release).") var timeout = 10.0
    @Option(help: ArgumentHelp("TOML settings file for [dicom] (default as for the daemon).", valueName: "file")) var config: String?
    @Flag(help: "One JSON array for scripts.") var json = false

    func validate() throws {
        guard timeout >= 0.1, timeout <= 600 else { throw ValidationError("--timeout must be 0.1-600 seconds") }
    }

    func run() async throws {
        let settings = try (config ?? DaemonSettings.defaultPath()).map { try DaemonSettings(contentsOf: $0) } ?? DaemonSettings()
        guard let address = from ?? settings.worklist else {
            throw ValidationError("say which worklist server to ask: --from AE@HOST:PORT, or worklist = \"AE@HOST:PORT\" under [dicom] in the settings file")
        }
        let query: WorklistQuery
        let peer: ApplicationEntity
        do {
            peer = try ApplicationEntity(parsing: address)
            query = WorklistQuery(date: try WorklistQuery.date(parsing: date), modality: modality.lowercased() == "any" ? "" : modality.uppercased(),
                                  stationAETitle: station ?? "")
        } catch {
            throw ValidationError("\(error)")
        }
        let items: [WorklistItem]
        do {
            items = try await Association.worklist(from: peer, callingTitle: aeTitle ?? settings.dicomTitle ?? "NEEDLELOG", query: query,
                                                   timeout: .milliseconds(Int(timeout * 1000)))
        } catch let error as DICOMNetworkError {
            throw CommandError("worklist: \(error)")
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(items), as: UTF8.self))
            return
        }
        guard !items.isEmpty else {
            print("no procedures scheduled at \(peer) for \(date)\(modality.lowercased() == "any" ? "" : " (\(modality.uppercased()))")")
            return
        }
        var rows = [["START", "PATIENT ID", "NAME", "BORN", "SEX", "ACCESSION", "PROCEDURE", "STATION", "REFERRED BY"]]
        for item in items {
            let procedure = [item.requestedProcedureID, item.requestedProcedureDescription.isEmpty ? item.scheduledStepDescription : item.requestedProcedureDescription]
                .filter { !$0.isEmpty }.joined(separator: " ")
            rows.append([item.scheduledStart.replacingOccurrences(of: "T", with: " "), item.patientID, item.displayName, item.birthDate, item.sex,
                         item.accessionNumber, procedure, item.scheduledStationAETitle, Self.person(item.referringPhysician)])
        }
        print(TextTable(rows).rendered)
    }

    /// A DICOM Person Name as people write it: `Lee^Ann^^Dr` as "Dr Ann Lee".
    static func person(_ name: String) -> String {
        let parts = name.split(separator: "=", omittingEmptySubsequences: false).first.map { $0.split(separator: "^", omittingEmptySubsequences: false).map(String.init) } ?? []
        let part = { (index: Int) in index < parts.count ? parts[index].trimmingCharacters(in: .whitespaces) : "" }
        return [part(3), part(1), part(2), part(0), part(4)].filter { !$0.isEmpty }.joined(separator: " ")
    }
}
