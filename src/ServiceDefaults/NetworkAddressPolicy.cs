using System.Net;
using System.Net.Sockets;

namespace Passport.ServiceDefaults;

/// <summary>
/// Which addresses an outbound fetch may connect to: public unicast only. Loopback, private (RFC 1918, unique local),
/// shared (CGNAT), link-local (cloud metadata lives at 169.254.169.254), multicast, unspecified, documentation and
/// reserved ranges are refused, including when they hide inside IPv4-mapped, IPv4-compatible, NAT64 or 6to4 IPv6 addresses.
/// </summary>
public static class NetworkAddressPolicy
{
    /// <summary>The addresses a host names: itself when it is an address literal (IPv6 in brackets too), else what DNS answers.</summary>
    public static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        IPAddress.TryParse(host.TrimStart('[').TrimEnd(']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// A connection to the first of the addresses that accepts one, tried in order. The caller judges the addresses first:
    /// this connects to exactly those, so a name cannot be resolved again to somewhere else between the check and the connect.
    /// </summary>
    public static async ValueTask<Stream> ConnectToFirstAsync(IPAddress[] addresses, string host, int port, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw new HttpRequestException($"'{host}' could not be reached.", last);
    }

    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => IsPublicV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => IsPublicV6(address.GetAddressBytes()),
            _ => false,
        };
    }

    private static bool IsPublicV4(ReadOnlySpan<byte> a) => a switch
    {
        [0, ..] => false,                                   // "this network", 0.0.0.0
        [10, ..] => false,                                  // RFC 1918
        [100, >= 64 and <= 127, ..] => false,               // RFC 6598 shared address space
        [127, ..] => false,                                 // loopback
        [169, 254, ..] => false,                            // link-local, cloud instance metadata
        [172, >= 16 and <= 31, ..] => false,                // RFC 1918
        [192, 0, 0, _] => false,                            // IETF protocol assignments
        [192, 0, 2, _] => false,                            // TEST-NET-1
        [192, 88, 99, _] => false,                          // 6to4 relay anycast
        [192, 168, ..] => false,                            // RFC 1918
        [198, 18 or 19, ..] => false,                       // benchmarking
        [198, 51, 100, _] => false,                         // TEST-NET-2
        [203, 0, 113, _] => false,                          // TEST-NET-3
        [>= 224, ..] => false,                              // multicast, reserved, broadcast
        _ => true,
    };

    private static bool IsPublicV6(byte[] a)
    {
        var span = a.AsSpan();
        // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, which also covers :: and ::1)
        if (span[..10].IndexOfAnyExcept((byte)0) < 0)
        {
            if (span[10] == 0xff && span[11] == 0xff)
                return IsPublicV4(span[12..]);
            if (span[10] == 0 && span[11] == 0)
                return false;
        }
        // 64:ff9b::/96 NAT64 well-known prefix: judge the IPv4 address it translates to.
        if (span[..12].SequenceEqual(new byte[] { 0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0 }))
            return IsPublicV4(span[12..]);
        // 64:ff9b:1::/48 local-use NAT64
        if (span[0] == 0x00 && span[1] == 0x64 && span[2] == 0xff && span[3] == 0x9b && span[4] == 0x00 && span[5] == 0x01)
            return false;
        // 2002::/16 6to4: the IPv4 address is in bytes 2..5.
        if (span[0] == 0x20 && span[1] == 0x02)
            return IsPublicV4(span[2..6]);
        return span switch
        {
            [0xff, ..] => false,                            // multicast
            [0xfe, >= 0x80 and <= 0xbf, ..] => false,       // link-local fe80::/10
            [0xfe, >= 0xc0, ..] => false,                   // site-local fec0::/10 (deprecated)
            [0xfc or 0xfd, ..] => false,                    // unique local fc00::/7
            [0x20, 0x01, 0x0d, 0xb8, ..] => false,          // documentation 2001:db8::/32
            [0x20, 0x01, 0x00, 0x00, ..] => false,          // Teredo 2001::/32: tunnels to an arbitrary IPv4 host
            [0x01, 0x00, 0, 0, 0, 0, 0, 0, ..] => false,    // discard-only 100::/64
            _ => (span[0] & 0xe0) == 0x20,                  // global unicast is 2000::/3; everything else is reserved
        };
    }
}
