using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Ledger.Contracts.Crypto;

/// <summary>
/// SHA-256 through OpenSSL 3's EVP digest interface (EVP_MD_fetch, EVP_DigestInit_ex2, EVP_DigestUpdate,
/// EVP_DigestFinal_ex), the one OpenSSL supports; its context is opaque, allocated by OpenSSL. The algorithm is
/// fetched once, and each thread keeps one context, so a digest costs no lookup and no allocation.
/// </summary>
internal sealed unsafe class OpenSslSha256
{
    private readonly delegate* unmanaged<nint> _newContext;
    private readonly delegate* unmanaged<nint, nint, nint, int> _init;
    private readonly delegate* unmanaged<nint, byte*, nuint, int> _update;
    private readonly delegate* unmanaged<nint, byte*, uint*, int> _final;
    private readonly delegate* unmanaged<nint, void> _freeContext;
    private readonly nint _sha256;

    // One context per thread: a context holds one digest in progress. The handle frees it once its thread is gone.
    [ThreadStatic]
    private static ContextHandle? t_context;

    private OpenSslSha256(nint library, nint sha256)
    {
        _newContext = (delegate* unmanaged<nint>)NativeLibrary.GetExport(library, "EVP_MD_CTX_new");
        _init = (delegate* unmanaged<nint, nint, nint, int>)NativeLibrary.GetExport(library, "EVP_DigestInit_ex2");
        _update = (delegate* unmanaged<nint, byte*, nuint, int>)NativeLibrary.GetExport(library, "EVP_DigestUpdate");
        _final = (delegate* unmanaged<nint, byte*, uint*, int>)NativeLibrary.GetExport(library, "EVP_DigestFinal_ex");
        _freeContext = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(library, "EVP_MD_CTX_free");
        _sha256 = sha256;
    }

    /// <summary>The EVP path, or null where libcrypto 3 is not what .NET loads (not Linux) or lacks the functions.</summary>
    public static OpenSslSha256? TryLoad()
    {
        // The same libcrypto .NET's own cryptography loads on Linux; loading it again returns the loaded one.
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libcrypto.so.3", out var library))
        {
            return null;
        }
        foreach (var name in new[] { "EVP_MD_fetch", "EVP_MD_CTX_new", "EVP_MD_CTX_free", "EVP_DigestInit_ex2", "EVP_DigestUpdate", "EVP_DigestFinal_ex" })
        {
            if (!NativeLibrary.TryGetExport(library, name, out _))
            {
                return null;
            }
        }
        var fetch = (delegate* unmanaged<nint, byte*, byte*, nint>)NativeLibrary.GetExport(library, "EVP_MD_fetch");
        nint sha256;
        fixed (byte* algorithm = "SHA256\0"u8)
        {
            // Held for the life of the process, as OpenSSL's own EVP_sha256() is.
            sha256 = fetch(0, algorithm, null);
        }
        return sha256 == 0 ? null : new OpenSslSha256(library, sha256);
    }

    public void Hash(ReadOnlySpan<byte> data, Span<byte> digest)
    {
        var context = t_context ??= NewContext();
        var handle = context.DangerousGetHandle();
        uint length;
        fixed (byte* input = data)
        fixed (byte* output = digest)
        {
            if (_init(handle, _sha256, 0) != 1 || _update(handle, input, (nuint)data.Length) != 1 || _final(handle, output, &length) != 1
                || length != Sha256.DigestBytes)
            {
                throw new CryptographicException("libcrypto failed to compute a SHA-256 digest");
            }
        }
    }

    private ContextHandle NewContext()
    {
        var context = _newContext();
        return context == 0 ? throw new CryptographicException("libcrypto could not allocate a digest context") : new ContextHandle(context, _freeContext);
    }

    private sealed class ContextHandle : SafeHandle
    {
        private readonly delegate* unmanaged<nint, void> _free;

        public ContextHandle(nint context, delegate* unmanaged<nint, void> free)
            : base(0, ownsHandle: true)
        {
            _free = free;
            SetHandle(context);
        }

        public override bool IsInvalid => handle == 0;

        protected override bool ReleaseHandle()
        {
            _free(handle);
            return true;
        }
    }
}
