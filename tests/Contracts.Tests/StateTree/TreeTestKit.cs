using System.Text;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.StateTree;

namespace Ledger.Contracts.Tests.StateTree;

internal static class TreeTestKit
{
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static KeyValuePair<byte[], byte[]?> Set(string key, string value) => new(Utf8(key), Utf8(value));

    public static KeyValuePair<byte[], byte[]?> Delete(string key) => new(Utf8(key), null);

    /// <summary>Applies a batch, stores its nodes and returns the tree at the new root.</summary>
    public static SparseMerkleTree Commit(this SparseMerkleTree tree, InMemoryTreeNodeStore store, params KeyValuePair<byte[], byte[]?>[] changes)
    {
        var update = tree.Apply(changes);
        store.Put(update.NewNodes);
        return new SparseMerkleTree(store, update.Root);
    }

    public static SparseMerkleTree Empty(InMemoryTreeNodeStore store) => new(store, SparseMerkleTree.EmptyRoot);

    /// <summary>Every node hash reachable from <paramref name="root"/>, read through the node encoding.</summary>
    public static HashSet<Hash32> Reachable(InMemoryTreeNodeStore reader, Hash32 root)
    {
        var seen = new HashSet<Hash32>();
        var pending = new Stack<Hash32>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var hash = pending.Pop();
            if (hash == Hash32.Zero || !seen.Add(hash))
            {
                continue;
            }
            var node = TreeNodeEncoding.Decode(hash, reader.TryGet(hash) ?? throw new InvalidOperationException($"missing {hash}"));
            if (!node.IsLeaf)
            {
                pending.Push(node.Left);
                pending.Push(node.Right);
            }
        }
        return seen;
    }
}
