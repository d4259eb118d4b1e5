import Archive
import DICOMExport

/// The one place the library's errors meet the command line: a remedy the library words in
/// the clinic's terms ("choose the folder an archive is in") gets the flag that does it here.
enum CommandLineWords {
    static func error(_ error: any Error) -> any Error {
        switch error {
        case let error as ArchiveError:
            guard let remedy = error.remedy else { return error }
            return CommandError(error.message + " (" + flag(for: remedy) + ")")
        case let error as DICOMExportError:
            guard let remedy = error.remedy else { return error }
            return CommandError(error.message + " (" + flag(for: remedy) + ")")
        default:
            return error
        }
    }

    static func flag(for remedy: ArchiveError.Remedy) -> String {
        switch remedy {
        case .chooseArchive: "--archive DIR, or NEEDLELOG_ARCHIVE"
        case .chooseNewArchiveFolder: "--archive NEW-DIR"
        case .importAgain: "--again"
        case .addPatient: "needlelog patients add ID ..."
        case .checkArchive: "needlelog verify"
        case .changePassword: "needlelog users passwd NAME"
        case .makeBackup: "needlelog backup DEST"
        }
    }

    static func flag(for remedy: DICOMExportError.Remedy) -> String {
        switch remedy {
        case .chooseOutputFolder: "--out DIR"
        case .coverBurnedInText: "--mask-file FILE, --mask x,y,w,h, or --no-pixel-cleaning"
        case .checkServer: "--to URL"
        case .exportFirst: "needlelog export dicom --out DIR"
        case .listSessions: "needlelog sessions list"
        case .checkArchive: "needlelog verify"
        }
    }
}
