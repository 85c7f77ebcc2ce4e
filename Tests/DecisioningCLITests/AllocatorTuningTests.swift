import DecisioningCLI
import Foundation
import Testing

/// What the process sets of glibc's allocator at start, that it leaves the user's settings alone,
/// and, in the real binary, that the setting changes where large blocks come from.
@Suite struct AllocatorTuningTests {
    @Test func bothParametersAreSetUnlessTheUserSetThem() {
        let both: [AllocatorTuning.Parameter] = [.mmapThreshold, .topPad]
        #expect(AllocatorTuning.decide(tunables: nil, optOut: nil) == .set(both, userSet: []))
        #expect(AllocatorTuning.decide(tunables: "", optOut: "on") == .set(both, userSet: []))
        #expect(AllocatorTuning.decide(tunables: "glibc.malloc.hugetlb=1", optOut: "") == .set(both, userSet: []))
        #expect(
            AllocatorTuning.decide(tunables: "glibc.malloc.hugetlb=1:glibc.malloc.top_pad=0", optOut: nil)
                == .set([.mmapThreshold], userSet: [.topPad]))
        #expect(
            AllocatorTuning.decide(tunables: "glibc.malloc.mmap_threshold=4096", optOut: nil)
                == .set([.topPad], userSet: [.mmapThreshold]))
        #expect(
            AllocatorTuning.decide(tunables: "glibc.malloc.top_pad=1:glibc.malloc.mmap_threshold=2", optOut: nil) == .keep(.userSet))
        // A trim threshold decides what the pad would: the user's.
        #expect(
            AllocatorTuning.decide(tunables: "glibc.malloc.trim_threshold=0", optOut: nil) == .set([.mmapThreshold], userSet: [.topPad]))
        // glibc's older variables count too; other variables do not.
        #expect(
            AllocatorTuning.decide(tunables: nil, optOut: nil, variables: ["MALLOC_MMAP_THRESHOLD_", "PATH"])
                == .set([.topPad], userSet: [.mmapThreshold]))
        #expect(
            AllocatorTuning.decide(tunables: nil, optOut: nil, variables: ["MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_"])
                == .keep(.userSet))
        #expect(AllocatorTuning.decide(tunables: nil, optOut: nil, variables: ["MALLOC_ARENA_MAX"]) == .set(both, userSet: []))
        // A tunable whose name only begins like one of ours is not it.
        #expect(AllocatorTuning.decide(tunables: "glibc.malloc.top_padding=1", optOut: nil) == .set(both, userSet: []))
        #expect(AllocatorTuning.Parameter.mmapThreshold.bytes == 32 << 20)
        #expect(AllocatorTuning.Parameter.topPad.bytes == 16 << 20)
    }

    @Test func theOptOutKeepsGlibcsDefaults() {
        #expect(AllocatorTuning.decide(tunables: nil, optOut: "off") == .keep(.optedOut))
        #expect(AllocatorTuning.decide(tunables: nil, optOut: "OFF") == .keep(.optedOut))
        #expect(AllocatorTuning.decide(tunables: nil, optOut: "no") == .keep(.unknownOptOut("no")))
    }

    /// The real binary, a fresh process each time: `doctor` allocates a 20 MiB block and says where
    /// it came from. Tuned, from a heap; with glibc's defaults (a 128 KiB threshold in a process that
    /// has freed no large block), mapped on its own. So this fails if main.swift stops applying the
    /// tuning or glibc refuses a value.
    @Test func doctorSaysWhatTheProcessSetAndChecksIt() throws {
        let dir = FileManager.default.temporaryDirectory
        let database = "sqlite:\(dir.path)/allocator-\(UUID().uuidString).sqlite"
        func doctor(_ environment: [String: String]) throws -> CommandLineTests.Outcome {
            try CommandLineTests.run(["doctor", "--database", database], in: dir, environment: environment)
        }
        let tuned = try doctor(["GLIBC_TUNABLES": "", "DECISIONING_MALLOC_TUNING": ""])
        let user = try doctor(["GLIBC_TUNABLES": "glibc.malloc.top_pad=0", "DECISIONING_MALLOC_TUNING": ""])
        let off = try doctor(["GLIBC_TUNABLES": "", "DECISIONING_MALLOC_TUNING": "off"])
        for outcome in [tuned, user, off] { #expect(outcome.status == 0, "\(outcome.all)") }
        #expect(
            tuned.stdout.contains(
                "allocator: blocks under 32 MiB come from the heaps and are reused, 16 MiB stay free at the top of each heap "
                    + "(DECISIONING_MALLOC_TUNING=off for glibc's defaults); checked: a 20 MiB block came from a heap\n"),
            "\(tuned.all)")
        #expect(
            user.stdout.contains(
                "allocator: blocks under 32 MiB come from the heaps and are reused (DECISIONING_MALLOC_TUNING=off for glibc's defaults); "
                    + "you set the top pad or trim threshold yourself; checked: a 20 MiB block came from a heap\n"),
            "\(user.all)")
        #expect(
            off.stdout.contains(
                "allocator: glibc's defaults (DECISIONING_MALLOC_TUNING=off); checked: a 20 MiB block was mapped on its own\n"),
            "\(off.all)")
    }
}
