import Archive
import Capture
import Foundation
import Hummingbird
import HummingbirdTesting
import Records
import Testing
import Workflows
@testable import Server

/// `start` on a disk without room is refused at once, naming the disk, before anything
/// is opened or written; `status` shows the room left even while idle.
@Suite("the disk as a resource the tech can see")
struct DiskReserveTests {
    @Test("start is a 507 that names the archive's disk when less than the reserve is free; nothing is written")
    func startRefused() async throws {
        let base = try await DeskFixture()
        defer { base.remove() }
        // A reserve larger than any disk here: no room to record.
        let desk = CaptureDesk(archive: base.archive, input: .file(DeskFixture.sampleData.appendingPathComponent("lumbar-capture-640x480.mkv").path),
                               realTime: true, diskReserve: 1 << 60)
        let server = NeedleServer(archive: base.archive, desk: desk, hasher: PasswordHasher(cost: 4), stationToken: DeskFixture.token)
        try await Application(router: buildRouter(server)).test(.router) { client in
            // (How fast it answers is measured where nothing else runs: DiskFullLiveCaptureTests.)
            let response = try await client.execute(uri: "/api/session/start", method: .post, headers: DeskFixture.station,
                                                    body: ByteBuffer(string: #"{"patient":"P-1"}"#))
            #expect(response.status.code == 507)
            #expect(errorMessage(response.body).contains(base.root.path) && errorMessage(response.body).contains("free space there"))
            let status = try decode(StatusResponse.self,
                                    try await client.execute(uri: "/api/status", method: .get, headers: DeskFixture.station).body)
            #expect(status.state == .idle)
            #expect(status.disk?.reserveBytes == 1 << 60)
            #expect((status.disk?.freeBytes ?? 0) > 0)
        }
        #expect(try await base.archive.sessions(SessionFilter()).isEmpty)
    }
}
