import CAllocator
import DecisioningCLI
import Foundation
import Testing

/// What the process sets of glibc's allocator at start, that it leaves the user's tunables alone,
/// and that the setting changes where large blocks come from.
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
        // A tunable whose name only begins like one of ours is not it.
        #expect(AllocatorTuning.decide(tunables: "glibc.malloc.top_padding=1", optOut: nil) == .set(both, userSet: []))
    }

    @Test func theOptOutKeepsGlibcsDefaults() {
        #expect(AllocatorTuning.decide(tunables: nil, optOut: "off") == .keep(.optedOut))
        #expect(AllocatorTuning.decide(tunables: nil, optOut: "OFF") == .keep(.optedOut))
        #expect(AllocatorTuning.decide(tunables: nil, optOut: "no") == .keep(.unknownOptOut("no")))
    }

    /// glibc's own threshold maps a 20 MiB block on its own; once the tuning is applied the block
    /// comes from a heap, while one above 32 MiB is still mapped.
    @Test func applyingTheTuningKeepsBlocksUnder32MiBInTheHeaps() throws {
        #if os(Linux)
            func mapped(_ bytes: Int) throws -> Bool {
                let block = try #require(malloc(bytes))
                defer { free(block) }
                return allocator_block_is_mapped(block) == 1
            }
            #expect(allocator_set_mmap_threshold(128 << 10) == 1)
            #expect(try mapped(20 << 20))
            #expect(AllocatorTuning.apply())
            #expect(try !mapped(20 << 20))
            #expect(try mapped(48 << 20))
        #endif
    }

    /// The real binary says what it set, and that the user's tunable or the opt-out wins.
    @Test func doctorSaysWhatTheProcessSet() throws {
        let dir = FileManager.default.temporaryDirectory
        let database = "sqlite:\(dir.path)/allocator-\(UUID().uuidString).sqlite"
        let tuned = try CommandLineTests.run(
            ["doctor", "--database", database], in: dir, environment: ["GLIBC_TUNABLES": "", "DECISIONING_MALLOC_TUNING": ""])
        let user = try CommandLineTests.run(
            ["doctor", "--database", database], in: dir,
            environment: ["GLIBC_TUNABLES": "glibc.malloc.top_pad=0", "DECISIONING_MALLOC_TUNING": ""])
        let off = try CommandLineTests.run(
            ["doctor", "--database", database], in: dir, environment: ["GLIBC_TUNABLES": "", "DECISIONING_MALLOC_TUNING": "off"])
        for outcome in [tuned, user, off] { #expect(outcome.status == 0, "\(outcome.all)") }
        #expect(
            tuned.stdout.contains(
                "allocator: blocks under 32 MiB come from the heaps and are reused, 64 MiB stay free at the top of each heap "
                    + "(DECISIONING_MALLOC_TUNING=off for glibc's defaults)\n"),
            "\(tuned.all)")
        #expect(
            user.stdout.contains(
                "allocator: blocks under 32 MiB come from the heaps and are reused (DECISIONING_MALLOC_TUNING=off for glibc's defaults); "
                    + "GLIBC_TUNABLES sets glibc.malloc.top_pad itself\n"),
            "\(user.all)")
        #expect(off.stdout.contains("allocator: glibc's defaults (DECISIONING_MALLOC_TUNING=off)\n"), "\(off.all)")
    }
}
