import DecisioningCLI
import Foundation
import Testing

/// When the process asks glibc for transparent huge pages (re-executing itself once with
/// `glibc.malloc.hugetlb=1`), and that it never overrides what the user set.
@Suite struct HugePagesTests {
    static let madvise = "always [madvise] never\n"

    @Test func onRequestOnlyTheTunableIsAddedToWhatIsThere() {
        #expect(HugePages.decide(tunables: nil, optOut: nil, kernelSetting: Self.madvise) == .restart(tunables: "glibc.malloc.hugetlb=1"))
        #expect(HugePages.decide(tunables: "", optOut: "", kernelSetting: Self.madvise) == .restart(tunables: "glibc.malloc.hugetlb=1"))
        #expect(
            HugePages.decide(tunables: "glibc.malloc.arena_max=2", optOut: "on", kernelSetting: Self.madvise)
                == .restart(tunables: "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1"))
    }

    @Test func theUsersChoiceTheOptOutAndTheKernelsOtherModesKeepTheProcess() {
        let cases: [(String?, String?, String?)] = [
            ("glibc.malloc.hugetlb=0", nil, Self.madvise),
            ("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2", nil, Self.madvise),
            (nil, "off", Self.madvise),
            (nil, "OFF", Self.madvise),
            (nil, "of", Self.madvise),
            (nil, "yes", Self.madvise),
            (nil, nil, "[always] madvise never"),
            (nil, nil, "always madvise [never]"),
            (nil, nil, nil),
            (nil, nil, "garbage"),
            (nil, nil, "[]"),
        ]
        for (tunables, optOut, setting) in cases {
            let decision = HugePages.decide(tunables: tunables, optOut: optOut, kernelSetting: setting)
            guard case .keep(let reason) = decision else {
                Issue.record("\(String(describing: tunables)), \(String(describing: optOut)), \(String(describing: setting)): \(decision)")
                continue
            }
            #expect(!reason.isEmpty)
        }
        #expect(
            HugePages.decide(tunables: nil, optOut: "of", kernelSetting: Self.madvise)
                == .keep("huge pages for the allocator are not requested: DECISIONING_HUGE_PAGES is 'of', and only on and off are known"))
        // A tunable whose name merely contains the word is not the allocator's.
        #expect(
            HugePages.decide(tunables: "glibc.malloc.hugetlbx=1", optOut: nil, kernelSetting: Self.madvise)
                == .restart(tunables: "glibc.malloc.hugetlbx=1:glibc.malloc.hugetlb=1"))
    }

    /// The real binary: on a kernel that grants huge pages on request, the process that prints
    /// `doctor`'s lines is the re-executed one, with the tunable in its environment.
    @Test func theBinaryReExecutesItselfOnceWithTheTunable() throws {
        let dir = FileManager.default.temporaryDirectory
        let database = "sqlite:\(dir.path)/hugepages-\(UUID().uuidString).sqlite"
        let setting = try? String(contentsOfFile: HugePages.settingPath, encoding: .utf8)
        let plain = try CommandLineTests.run(
            ["doctor", "--database", database], in: dir, environment: ["GLIBC_TUNABLES": "", "DECISIONING_HUGE_PAGES": ""])
        let added = try CommandLineTests.run(
            ["doctor", "--database", database], in: dir,
            environment: ["GLIBC_TUNABLES": "glibc.malloc.arena_max=4", "DECISIONING_HUGE_PAGES": ""])
        let off = try CommandLineTests.run(
            ["doctor", "--database", database], in: dir, environment: ["GLIBC_TUNABLES": "", "DECISIONING_HUGE_PAGES": "off"])
        for outcome in [plain, added, off] {
            #expect(outcome.status == 0, "\(outcome.all)")
            #expect(outcome.stdout.contains("store: "), "\(outcome.all)")
        }
        #expect(off.stdout.contains("memory: huge pages for the allocator are off (DECISIONING_HUGE_PAGES=off)"), "\(off.all)")
        if setting?.contains("[madvise]") == true {
            #expect(
                plain.stdout.contains("memory: the allocator asks for transparent huge pages (GLIBC_TUNABLES=glibc.malloc.hugetlb=1)"),
                "\(plain.all)")
            #expect(
                added.stdout.contains(
                    "memory: the allocator asks for transparent huge pages (GLIBC_TUNABLES=glibc.malloc.arena_max=4:glibc.malloc.hugetlb=1)"
                ),
                "\(added.all)")
        } else {
            #expect(!plain.stdout.contains("asks for transparent huge pages"), "\(plain.all)")
        }
    }
}
