import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

// MARK: - DICOMweb STOW-RS

extension PACSPusher {
    /// STOW-RS (PS3.18 10.5): each batch of files is one `multipart/related` request to
    /// `{root}/studies`, and the answer's Referenced SOP Sequence and Failed SOP Sequence
    /// say what became of each instance.
    ///
    /// A STOW-RS answer does not say whether an instance was new: Orthanc's DICOMweb
    /// plugin answers 200 and lists a re-sent instance exactly like a new one, with no
    /// Warning Reason. So before each batch a QIDO-RS query (`GET {root}/instances`)
    /// asks which of its SOP Instance UIDs the server already has; those are reported
    /// as already there. A server without QIDO-RS gets every accepted file counted as stored.
    func pushSTOW(_ files: [URL], session: URLSession, progress: (URL, Outcome?) -> Void) async throws -> Report {
        var report = Report()
        var batch: [(file: URL, body: Data, uid: String?)] = []
        var batchSize = 0
        func flush() async throws {
            guard !batch.isEmpty else { return }
            try await send(batch, session: session, into: &report, progress: progress)
            batch.removeAll()
            batchSize = 0
        }
        for file in files {
            let body = try Self.read(file)
            let uid = PartTenFile.mediaStorageSOPInstanceUID(in: body)
            // The answer names instances by UID, so two files with one UID (an object
            // exported twice, differently) never share a request.
            let repeated = uid != nil && batch.contains { $0.uid == uid }
            if !batch.isEmpty, repeated || batch.count >= batchFiles || batchSize + body.count > batchBytes {
                try await flush()
            }
            batch.append((file, body, uid))
            batchSize += body.count
        }
        try await flush()
        return report
    }

    private func send(_ batch: [(file: URL, body: Data, uid: String?)], session: URLSession,
                      into report: inout Report, progress: (URL, Outcome?) -> Void) async throws {
        let present = try await alreadyPresent(Set(batch.compactMap(\.uid)), session: session)
        let boundary = "needlelog-" + UUID().uuidString
        var body = Data()
        for part in batch {
            body.append(Data("--\(boundary)\r\nContent-Type: application/dicom\r\n\r\n".utf8))
            body.append(part.body)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        var request = URLRequest(url: server.appendingPathComponent("studies"))
        request.httpMethod = "POST"
        request.setValue("multipart/related; type=\"application/dicom\"; boundary=\(boundary)", forHTTPHeaderField: "Content-Type")
        request.setValue("application/dicom+json", forHTTPHeaderField: "Accept")
        request.httpBody = body

        let (status, data) = try await exchange(request, session: session)
        let answer = STOWResponse(data)
        for part in batch {
            let failure = part.uid.flatMap { answer?.failed[$0] }
            let storedEntry = part.uid.flatMap { answer?.stored[$0] }
            if let failure {
                report.refused.append((part.file, "HTTP \(status): failure reason \(failure.map(STOWResponse.describe) ?? "not given")"))
                progress(part.file, nil)
            } else if storedEntry != nil || status == 200 {
                // 200 means every instance was stored (PS3.18 10.5.3), listed or not.
                let outcome: Outcome = part.uid.map(present.contains) == true ? .alreadyStored : .stored
                report.outcomes.append((part.file, outcome))
                if case .some(.some(let warning)) = storedEntry {
                    report.warnings.append((part.file, "warning reason \(STOWResponse.describe(warning))"))
                }
                progress(part.file, outcome)
            } else {
                report.refused.append((part.file, Self.unlistedReason(status: status, data: data, answered: answer != nil, uid: part.uid)))
                progress(part.file, nil)
            }
        }
    }

    /// Why a file the answer neither stored nor failed counts as refused.
    private static func unlistedReason(status: Int, data: Data, answered: Bool, uid: String?) -> String {
        var reason = "HTTP \(status): "
        if answered {
            reason += "not stored, and the server named no reason"
        } else {
            let text = String(decoding: data.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            reason += text.isEmpty ? "not stored" : text
        }
        if status == 404 || status == 405 {
            reason += " (is the address the DICOMweb root, such as http://localhost:8042/dicom-web?)"
        }
        if uid == nil {
            reason += " (the file meta information holds no SOP Instance UID: the server could not read it as DICOM)"
        }
        return reason
    }

    /// The SOP Instance UIDs among `uids` the server already holds, by QIDO-RS
    /// (`GET {root}/instances?SOPInstanceUID=a,b,...`, UID list matching).
    private func alreadyPresent(_ uids: Set<String>, session: URLSession) async throws -> Set<String> {
        guard !uids.isEmpty,
              var components = URLComponents(url: server.appendingPathComponent("instances"), resolvingAgainstBaseURL: false)
        else { return [] }
        components.queryItems = [URLQueryItem(name: "SOPInstanceUID", value: uids.sorted().joined(separator: ",")),
                                 URLQueryItem(name: "includefield", value: "00080018"),
                                 URLQueryItem(name: "limit", value: String(uids.count))]
        guard let url = components.url else { return [] }
        var request = URLRequest(url: url)
        request.setValue("application/dicom+json", forHTTPHeaderField: "Accept")
        let (status, data) = try await exchange(request, session: session)
        guard status == 200, let matches = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return [] }
        let found = matches.compactMap { ((($0["00080018"] as? [String: Any])?["Value"] as? [Any])?.first as? String) }
        return uids.intersection(found)
    }
}
