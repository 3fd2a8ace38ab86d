using System.Buffers;
using BenchmarkDotNet.Attributes;
using Gateway.Mqtt;
using Gateway.Mqtt.Codec;

namespace Gateway.Benchmarks.Mqtt;

/// <summary>
/// PUBLISH encode (the session's path: topic, payload, packet id into a reused buffer writer) and decode, for both
/// protocol versions; MemoryDiagnoser reports bytes allocated per operation (encode must be 0).
/// Run: dotnet run -c Release --project tests/Gateway.Benchmarks -- --filter '*PublishCodec*'
/// </summary>
[MemoryDiagnoser]
public class PublishCodecBenchmarks
{
    private readonly ArrayBufferWriter<byte> _writer = new(1024);
    private readonly byte[] _payload = new byte[100];
    private byte[] _encoded = [];
    private MqttPacketReader _reader = null!;

    [Params(MqttProtocolVersion.V311, MqttProtocolVersion.V500)]
    public MqttProtocolVersion Version { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Encode();
        _encoded = _writer.WrittenSpan.ToArray();
        _reader = new MqttPacketReader(1 << 20, Version);
    }

    [Benchmark]
    public int Encode()
    {
        _writer.ResetWrittenCount();
        return MqttPacketWriter.WritePublish(_writer, "fleet/cp-alpha-01/telemetry", _payload, MqttQos.AtLeastOnce, retain: false,
            duplicate: false, packetId: 4242, int.MaxValue, Version);
    }

    [Benchmark]
    public int Decode()
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(_encoded));
        return _reader.TryRead(ref reader, out var packet) ? (int)packet.Type : 0;
    }
}
