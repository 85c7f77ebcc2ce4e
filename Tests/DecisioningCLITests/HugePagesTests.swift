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
        let cases: [(String?, String?, String?, HugePages.Reason)] = [
            ("glibc.malloc.hugetlb=1", nil, Self.madvise, .requested(tunables: "glibc.malloc.hugetlb=1")),
            ("glibc.malloc.hugetlb=0", nil, Self.madvise, .userSet(tunables: "glibc.malloc.hugetlb=0")),
            (
                "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2", "off", Self.madvise,
                .userSet(tunables: "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2")
            ),
            (nil, "off", Self.madvise, .optedOut),
            (nil, "OFF", Self.madvise, .optedOut),
            (nil, "of", Self.madvise, .unknownOptOut("of")),
            (nil, "yes", Self.madvise, .unknownOptOut("yes")),
            (nil, nil, "[always] madvise never", .kernelAlways),
            (nil, nil, "always madvise [never]", .kernelMode("never")),
            (nil, nil, nil, .noKernelSetting),
            (nil, nil, "garbage", .noKernelSetting),
            (nil, nil, "[]", .noKernelSetting),
        ]
        for (tunables, optOut, setting, reason) in cases {
            #expect(
                HugePages.decide(tunables: tunables, optOut: optOut, kernelSetting: setting) == .keep(reason),
                "\(String(describing: tunables)), \(String(describing: optOut)), \(String(describing: setting))")
        }
        // A tunable whose name merely contains the word is not the allocator's.
        #expect(
            HugePages.decide(tunables: "glibc.malloc.hugetlbx=1", optOut: nil, kernelSetting: Self.madvise)
                == .restart(tunables: "glibc.malloc.hugetlbx=1:glibc.malloc.hugetlb=1"))
    }

    /// The process executed again never executes itself a third time, even when glibc dropped the
    /// tunable on the way (it does for privileged processes).
    @Test func theRestartedProcessNeverRestartsAgain() {
        #expect(HugePages.decide(tunables: nil, optOut: nil, restarted: true, kernelSetting: Self.madvise) == .keep(.tunableDropped))
        #expect(HugePages.decide(tunables: "", optOut: nil, restarted: true, kernelSetting: Self.madvise) == .keep(.tunableDropped))
        #expect(
            HugePages.decide(tunables: "glibc.malloc.hugetlb=1", optOut: nil, restarted: true, kernelSetting: Self.madvise)
                == .keep(.requested(tunables: "glibc.malloc.hugetlb=1")))
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
        // As if glibc had dropped the tunable from the restarted process: it says so and carries on, no third start.
        let dropped = try CommandLineTests.run(
            ["doctor", "--database", database], in: dir,
            environment: ["GLIBC_TUNABLES": "", "DECISIONING_HUGE_PAGES": "", "DECISIONING_HUGE_PAGES_RESTARTED": "1"])
        #expect(
            dropped.stdout.contains("memory: huge pages for the allocator were requested, but GLIBC_TUNABLES did not reach"),
            "\(dropped.all)")
        for outcome in [plain, added, off, dropped] {
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
