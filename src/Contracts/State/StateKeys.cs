using Ledger.Contracts.Crypto;

namespace Ledger.Contracts.State;

/// <summary>The layout of the state's keys (docs/PROTOCOL.md, "State keys"). Keys are UTF-8 strings.</summary>
public static class StateKeys
{
    public const string Config = "config";
    public const string OrganisationIndex = "organisations";

    public static string Organisation(string id) => "org/" + id;

    public static string Certificate(string certificateId) => "cert/" + certificateId;

    public static string Consignment(string consignmentId) => "consignment/" + consignmentId;

    public static string Proposal(string proposalId) => "proposal/" + proposalId;

    public static string Transaction(Hash32 txId) => "tx/" + txId;
}
