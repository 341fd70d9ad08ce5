using Google.Protobuf;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.StateTree;
using static Ledger.Contracts.Tests.StateTree.TreeTestKit;

namespace Ledger.Contracts.Tests.StateTree;

public sealed class StateProofTests
{
    private readonly InMemoryTreeNodeStore _store = new();
    private readonly SparseMerkleTree _tree;

    public StateProofTests()
    {
        _tree = Empty(_store).Commit(_store, Enumerable.Range(0, 200).Select(i => Set($"key-{i}", $"value-{i}")).ToArray());
    }

    [Fact]
    public void Presence_proof_verifies()
    {
        var proof = _tree.Prove(Utf8("key-42"));

        proof.Leaf.Should().NotBeNull();
        StateProof.Verify(_tree.Root, Utf8("key-42"), Utf8("value-42"), proof).Should().BeTrue();
    }

    [Fact]
    public void Absence_proofs_verify_both_at_an_empty_subtree_and_at_another_leaf()
    {
        var absent = Enumerable.Range(0, 200).Select(i => $"absent-{i}").ToArray();
        var proofs = absent.Select(k => (Key: k, Proof: _tree.Prove(Utf8(k)))).ToArray();

        proofs.Should().Contain(p => p.Proof.Leaf == null, "some paths end in an empty subtree");
        proofs.Should().Contain(p => p.Proof.Leaf != null, "some paths end at another key's leaf");
        proofs.Should().OnlyContain(p => StateProof.Verify(_tree.Root, Utf8(p.Key), null, p.Proof));
    }

    [Fact]
    public void Proofs_in_the_empty_tree_and_a_one_leaf_tree_verify()
    {
        var single = Empty(_store).Commit(_store, Set("a", "1"));

        StateProof.Verify(Hash32.Zero, Utf8("a"), null, Empty(_store).Prove(Utf8("a"))).Should().BeTrue();
        StateProof.Verify(Hash32.Zero, Utf8("a"), Utf8("1"), Empty(_store).Prove(Utf8("a"))).Should().BeFalse();
        StateProof.Verify(single.Root, Utf8("a"), Utf8("1"), single.Prove(Utf8("a"))).Should().BeTrue();
        StateProof.Verify(single.Root, Utf8("b"), null, single.Prove(Utf8("b"))).Should().BeTrue();
    }

    [Fact]
    public void A_proof_for_another_key_is_rejected()
    {
        var proof = _tree.Prove(Utf8("key-1"));

        StateProof.Verify(_tree.Root, Utf8("key-2"), Utf8("value-1"), proof).Should().BeFalse();
        StateProof.Verify(_tree.Root, Utf8("key-2"), Utf8("value-2"), proof).Should().BeFalse();
        StateProof.Verify(_tree.Root, Utf8("key-2"), null, proof).Should().BeFalse();
    }

    [Fact]
    public void An_absence_proof_for_another_key_is_rejected()
    {
        var proof = _tree.Prove(Utf8("absent-1"));
        var presentKeys = Enumerable.Range(0, 200).Select(i => $"key-{i}");

        presentKeys.Should().OnlyContain(k => !StateProof.Verify(_tree.Root, Utf8(k), null, proof));
    }

    [Fact]
    public void A_proof_with_a_tampered_sibling_is_rejected()
    {
        var proof = _tree.Prove(Utf8("key-7"));

        for (var i = 0; i < proof.Siblings.Count; i++)
        {
            var siblings = proof.Siblings.ToArray();
            var bytes = siblings[i].ToArray();
            bytes[31] ^= 0x01;
            siblings[i] = new Hash32(bytes);

            StateProof.Verify(_tree.Root, Utf8("key-7"), Utf8("value-7"), proof with { Siblings = siblings })
                .Should().BeFalse($"sibling {i} was changed");
        }
    }

    [Fact]
    public void A_proof_with_a_sibling_added_or_removed_is_rejected()
    {
        var proof = _tree.Prove(Utf8("key-7"));

        var shorter = proof with { Siblings = proof.Siblings.Skip(1).ToArray() };
        var longer = proof with { Siblings = [.. proof.Siblings, Hash32.Sha256(Utf8("x"))] };

        StateProof.Verify(_tree.Root, Utf8("key-7"), Utf8("value-7"), shorter).Should().BeFalse();
        StateProof.Verify(_tree.Root, Utf8("key-7"), Utf8("value-7"), longer).Should().BeFalse();
    }

    [Fact]
    public void A_proof_under_another_root_is_rejected()
    {
        var proof = _tree.Prove(Utf8("key-7"));
        var later = _tree.Commit(_store, Set("key-8", "changed"));

        StateProof.Verify(later.Root, Utf8("key-7"), Utf8("value-7"), proof).Should().BeFalse();
        StateProof.Verify(Hash32.Zero, Utf8("key-7"), Utf8("value-7"), proof).Should().BeFalse();
    }

    [Fact]
    public void A_presence_proof_presented_as_absence_is_rejected()
    {
        var proof = _tree.Prove(Utf8("key-7"));

        StateProof.Verify(_tree.Root, Utf8("key-7"), null, proof).Should().BeFalse();
        StateProof.Verify(_tree.Root, Utf8("key-7"), null, proof with { Leaf = null }).Should().BeFalse();
    }

    [Fact]
    public void An_absence_proof_presented_as_presence_is_rejected()
    {
        var empty = FindAbsentKey(p => p.Leaf == null);
        var otherLeaf = FindAbsentKey(p => p.Leaf != null);

        foreach (var key in new[] { empty, otherLeaf })
        {
            var proof = _tree.Prove(Utf8(key));
            StateProof.Verify(_tree.Root, Utf8(key), Utf8("anything"), proof).Should().BeFalse();
            StateProof.Verify(_tree.Root, Utf8(key), [], proof).Should().BeFalse();
        }
    }

    [Fact]
    public void A_value_that_differs_is_rejected()
    {
        var proof = _tree.Prove(Utf8("key-7"));

        StateProof.Verify(_tree.Root, Utf8("key-7"), Utf8("value-8"), proof).Should().BeFalse();
        StateProof.Verify(_tree.Root, Utf8("key-7"), [], proof).Should().BeFalse();
    }

    [Fact]
    public void A_tampered_leaf_value_hash_is_rejected()
    {
        var proof = _tree.Prove(Utf8("key-7"));
        var forged = proof with { Leaf = proof.Leaf!.Value with { ValueHash = Hash32.Sha256(Utf8("forged")) } };

        StateProof.Verify(_tree.Root, Utf8("key-7"), Utf8("forged"), forged).Should().BeFalse();
    }

    [Fact]
    public void A_proof_of_a_shape_the_rules_never_build_is_rejected()
    {
        // A lone leaf beside an empty subtree is always pulled up, so a root that hashes such a pair
        // is not a state root even though the hashes of this proof fold up to it.
        var path = Hash32.Sha256(Utf8("a"));
        var valueHash = Hash32.Sha256(Utf8("1"));
        var leaf = Hash32.Sha256([0x00, .. path.Span, .. valueHash.Span]);
        var goesLeft = (path.Span[0] & 0x80) == 0;
        var root = goesLeft
            ? Hash32.Sha256([0x01, .. leaf.Span, .. Hash32.Zero.Span])
            : Hash32.Sha256([0x01, .. Hash32.Zero.Span, .. leaf.Span]);
        var proof = new StateProof([Hash32.Zero], new StateProofLeaf(path, valueHash));

        StateProof.Verify(root, Utf8("a"), Utf8("1"), proof).Should().BeFalse();
    }

    [Fact]
    public void A_leaf_off_the_keys_path_does_not_prove_absence()
    {
        // A root with another key's leaf on the side the key's first bit does not lead to: the hashes fold
        // up to it, but the leaf is not where the key would be, so it says nothing about the key.
        var key = Utf8("a");
        var other = Enumerable.Range(0, 100).Select(i => Utf8($"other-{i}"))
            .First(k => (Hash32.Sha256(k).Span[0] & 0x80) != (Hash32.Sha256(key).Span[0] & 0x80));
        var otherLeaf = new StateProofLeaf(Hash32.Sha256(other), Hash32.Sha256(Utf8("v")));
        var otherLeafHash = Hash32.Sha256([0x00, .. otherLeaf.Path.Span, .. otherLeaf.ValueHash.Span]);
        var sibling = Hash32.Sha256(Utf8("some subtree"));
        var keyGoesLeft = (Hash32.Sha256(key).Span[0] & 0x80) == 0;
        var root = keyGoesLeft
            ? Hash32.Sha256([0x01, .. otherLeafHash.Span, .. sibling.Span])
            : Hash32.Sha256([0x01, .. sibling.Span, .. otherLeafHash.Span]);

        StateProof.Verify(root, key, null, new StateProof([sibling], otherLeaf)).Should().BeFalse();
    }

    [Fact]
    public void Proof_round_trips_through_the_protobuf_message()
    {
        var keys = new[] { "key-3", "absent-1", "absent-2", "absent-3", "absent-4" };

        foreach (var key in keys)
        {
            var proof = _tree.Prove(Utf8(key));
            var bytes = proof.ToWire().ToByteArray();
            var parsed = Wire.StateProof.Parser.ParseFrom(bytes);

            StateProof.FromWire(parsed).Should().Be(proof);
            StateProof.Verify(_tree.Root, Utf8(key), _tree.Get(Utf8(key)), parsed).Should().BeTrue();
        }
    }

    [Fact]
    public void The_wire_form_sends_only_non_empty_siblings()
    {
        var chain = Empty(_store).Commit(_store, Set("a", "1"), Set("b", "2"), Set("c", "3"));
        var proof = chain.Prove(Utf8("b"));

        var wire = proof.ToWire();

        proof.Siblings.Should().Contain(Hash32.Zero, "b and c share a prefix, so their branch passes empty siblings");
        wire.Depth.Should().Be((uint)proof.Siblings.Count);
        wire.Siblings.Should().HaveCount(proof.Siblings.Count(s => s != Hash32.Zero));
        wire.SiblingBitmap.Length.Should().Be((proof.Siblings.Count + 7) / 8);
    }

    [Fact]
    public void The_proof_of_b_in_the_abc_tree_matches_the_documented_wire_bytes()
    {
        // Hand-encoded by an independent script; the worked example in docs/PROTOCOL.md, "State tree and state proofs".
        const string expected =
            "08041201901a20565388d4bc00257133f799d9366ac97f6e949c18acc53d17457f8859ba0f08d3" +
            "1a206dc4a0fe4285844b9c64ba063f6a8b808a07eb2e8c124cda2babd55a2a7f3d24" +
            "22440a203e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d" +
            "1220d4735e3a265e16eee03f59718b9b5d03019c07d8b6c51f90da3a666eec13ab35";
        var tree = Empty(_store).Commit(_store, Set("a", "1"), Set("b", "2"), Set("c", "3"));

        var wire = tree.Prove(Utf8("b")).ToWire().ToByteArray();

        Convert.ToHexStringLower(wire).Should().Be(expected);
        StateProof.Verify(
            Hash32.Parse("8e2a164a410203f51300d7c6645b7a37f549768457be109acc126c63573a9e0a"),
            Utf8("b"), Utf8("2"), Wire.StateProof.Parser.ParseFrom(Convert.FromHexString(expected))).Should().BeTrue();
    }

    [Fact]
    public void Malformed_wire_proofs_are_refused()
    {
        var wire = _tree.Prove(Utf8("key-3")).ToWire();

        var malformed = new List<Wire.StateProof>
        {
            Modified(wire, w => w.Depth += 8),
            Modified(wire, w => w.Depth = 257),
            Modified(wire, w => w.Siblings.RemoveAt(0)),
            Modified(wire, w => w.Siblings.Add(ByteString.CopyFrom(Hash32.Sha256(Utf8("x")).Span))),
            Modified(wire, w => w.Siblings[0] = ByteString.CopyFrom(new byte[31])),
            Modified(wire, w => w.Leaf.Path = ByteString.CopyFrom(new byte[33])),
            Modified(wire, w => w.SiblingBitmap = ByteString.CopyFrom(w.SiblingBitmap.Append((byte)0).ToArray())),
            Modified(wire, w => w.SiblingBitmap = WithLastBitSet(w.SiblingBitmap)),
        };

        malformed.Should().OnlyContain(w => !IsWellFormed(w));
        malformed.Should().OnlyContain(w => !StateProof.Verify(_tree.Root, Utf8("key-3"), Utf8("value-3"), w));
        IsWellFormed(wire).Should().BeTrue();
    }

    private static Wire.StateProof Modified(Wire.StateProof original, Action<Wire.StateProof> change)
    {
        var copy = original.Clone();
        change(copy);
        return copy;
    }

    private static bool IsWellFormed(Wire.StateProof wire) => StateProof.TryFromWire(wire, out _);

    private static ByteString WithLastBitSet(ByteString bitmap)
    {
        var bytes = bitmap.ToByteArray();
        bytes[^1] |= 0x01;
        return ByteString.CopyFrom(bytes);
    }

    private string FindAbsentKey(Func<StateProof, bool> shape) =>
        Enumerable.Range(0, 1000).Select(i => $"absent-{i}").First(k => shape(_tree.Prove(Utf8(k))));
}
