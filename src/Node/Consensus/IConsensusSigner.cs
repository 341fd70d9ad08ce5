namespace Ledger.Node.Consensus;

/// <summary>This node's validator key. Kept this small so that any signature suite can sit behind it.</summary>
public interface IConsensusSigner
{
    int ValidatorIndex { get; }

    byte[] Sign(byte[] signBytes);
}
