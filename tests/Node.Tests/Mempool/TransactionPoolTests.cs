using Ledger.Node.Mempool;
using Ledger.Node.Tests.Chain;

namespace Ledger.Node.Tests.Mempool;

public sealed class TransactionPoolTests
{
    private readonly ChainFixture _chain = new();

    [Fact]
    public void Transactions_come_out_in_arrival_order_within_the_block_limits()
    {
        var pool = new TransactionPool(100, 1_000_000);
        var txs = Enumerable.Range(0, 5).Select(i => _chain.Suspend($"cn-ccpit/{i}")).ToArray();
        foreach (var tx in txs)
        {
            pool.Add(tx).Should().Be(MempoolAdmission.Added);
        }

        pool.Peek(3, long.MaxValue).Select(t => t.Id).Should().Equal(txs.Take(3).Select(t => t.Id));
        var oneTxBytes = txs[0].Envelope.CalculateSize();
        pool.Peek(10, (oneTxBytes * 2) + 1).Should().HaveCount(2);
    }

    [Fact]
    public void The_same_transaction_is_pending_once()
    {
        var pool = new TransactionPool(100, 1_000_000);
        var tx = _chain.Suspend("cn-ccpit/A");

        pool.Add(tx).Should().Be(MempoolAdmission.Added);
        pool.Add(tx).Should().Be(MempoolAdmission.AlreadyPending);
        pool.Count.Should().Be(1);
        pool.Find(tx.Id).Should().BeSameAs(tx);
    }

    [Fact]
    public void A_full_pool_refuses_by_count_and_by_bytes()
    {
        var byCount = new TransactionPool(2, 1_000_000);
        byCount.Add(_chain.Suspend("cn-ccpit/A"));
        byCount.Add(_chain.Suspend("cn-ccpit/B"));
        byCount.Add(_chain.Suspend("cn-ccpit/C")).Should().Be(MempoolAdmission.Full);

        var tx = _chain.Suspend("cn-ccpit/D");
        var byBytes = new TransactionPool(100, tx.Envelope.CalculateSize() - 1);
        byBytes.Add(tx).Should().Be(MempoolAdmission.Full);
    }

    [Fact]
    public void Committed_transactions_leave_the_pool_and_free_its_room()
    {
        var pool = new TransactionPool(1, 1_000_000);
        var a = _chain.Suspend("cn-ccpit/A");
        pool.Add(a);

        pool.Remove([a.Id]);

        pool.Count.Should().Be(0);
        pool.Find(a.Id).Should().BeNull();
        pool.Add(_chain.Suspend("cn-ccpit/B")).Should().Be(MempoolAdmission.Added);
    }
}
