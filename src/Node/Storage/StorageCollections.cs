namespace Ledger.Node.Storage;

/// <summary>The collections of the node's database and what each document holds (docs/ARCHITECTURE.md, "Storage").</summary>
internal static class StorageCollections
{
    /// <summary>
    /// "chain": the chain identity and storage format; "head": the last committed height, hash and root; "tree": the
    /// last height, and its root, whose tree pages are all written.
    /// </summary>
    public const string Meta = "meta";

    /// <summary>_id = height; "hash": the committed block's header hash, the _id of its body in <see cref="BlockBodies"/>.</summary>
    public const string Blocks = "blocks";

    /// <summary>
    /// _id = a block's header hash; "b": the serialised Block. Committed blocks, and blocks held for the consensus
    /// engine's lock or valid value (<see cref="HeldBlocks"/>): a held block that commits is not written again.
    /// </summary>
    public const string BlockBodies = "block_bodies";

    /// <summary>
    /// _id = the header hash of a block held in <see cref="BlockBodies"/> and not committed; "h": its height; "d": the
    /// SHA-256 of the held body's bytes. When a height commits, its entries go, with their bodies unless the body is
    /// the committed block's, byte for byte (a header's hash does not cover transactions' signatures).
    /// </summary>
    public const string HeldBlocks = "held_blocks";

    /// <summary>_id = height; "commit": the serialised CommitCertificate that decided the block.</summary>
    public const string Commits = "commits";

    /// <summary>_id = height; "receipts": array of serialised Receipts in block order.</summary>
    public const string Receipts = "receipts";

    /// <summary>
    /// "state_00" … "state_0f": _id = a bucket number; "e": the documents filed under it, each its id ("k") and
    /// values ("v", and "p" for a record's public half). Only the latest value of each key (<see cref="StateDocuments"/>).
    /// </summary>
    public const string StatePrefix = "state_";

    /// <summary>
    /// "tree_pages_00" … "tree_pages_0f": _id = the first 8 bytes of a page's root hash; "e": the pages filed under
    /// it, each its root hash ("h") and the encoded band page ("b", <see cref="Contracts.StateTree.TreePage"/>). The
    /// 9th byte picks the collection (<see cref="StoredTreePages"/>). Never deleted, so the roots written whole stay provable.
    /// </summary>
    public const string TreePagesPrefix = "tree_pages_";

    /// <summary>_id = height above the "tree" height; "keys": the state keys the block changed, to rebuild the tree's unwritten pages.</summary>
    public const string TreeLog = "tree_log";

    /// <summary>_id = height; "r": the consensus engine's record for that height.</summary>
    public const string Journal = "journal";
}
