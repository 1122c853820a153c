using AvDsl.Runtime.IO.TensorBoard;

namespace AvDsl.Runtime.Training;

/// <summary>
/// Writes a run's TensorBoard event file beside metrics.jsonl: the resolved spec as text (tag "spec") and the HParams
/// plugin's session start at step 0, every metrics.jsonl field of every step as a scalar under the same name, and the
/// session's end. A resumed run writes a new file that starts with a SessionLog START, so TensorBoard drops what the
/// interrupted run logged after its checkpoint, as metrics.jsonl is truncated there.
/// </summary>
public sealed class TensorBoardWriter : IDisposable
{
    public const string SpecTag = "spec";

    private readonly EventFile _file;
    private bool _ended;
    private long _lastStep;

    private TensorBoardWriter(EventFile file, long lastStep)
    {
        _file = file;
        _lastStep = lastStep;
    }

    public string Path => _file.Path;

    /// <summary>
    /// A new run's event file. <paramref name="hyperparameters"/> (strings, numbers, booleans) go to the HParams table,
    /// with the spec's name and seed under "spec" and "seed" unless given.
    /// </summary>
    public static TensorBoardWriter Start(string runDirectory, TrainingPlan plan, IReadOnlyDictionary<string, object> hyperparameters)
    {
        var all = new Dictionary<string, object>(hyperparameters);
        all.TryAdd("spec", plan.SpecName);
        all.TryAdd("seed", plan.Seed);
        // Encoded first: a hyperparameter of a type the plugin cannot hold stops the run before a file is made.
        var sessionStart = HParamsPluginData.SessionStart(all, EventFile.UnixSeconds());
        var file = EventFile.Create(runDirectory);
        try
        {
            // TensorBoard counts the first START as the run's start and only later ones as restarts.
            file.SessionStart(0);
            file.Summary(0, [
                SummaryValue.Text(SpecTag, plan.ResolvedSpec),
                SummaryValue.HParams(HParamsPluginData.SessionStartTag, sessionStart),
            ]);
            file.Flush();
            return new TensorBoardWriter(file, 0);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A resumed run's event file: a restart at the first step it will log, so that TensorBoard drops the interrupted
    /// run's events from that step on and keeps steps 1..<paramref name="checkpointStep"/>.
    /// </summary>
    public static TensorBoardWriter Resume(string runDirectory, long checkpointStep)
    {
        var file = EventFile.Create(runDirectory);
        try
        {
            file.SessionStart(checkpointStep + 1);
            file.Flush();
            return new TensorBoardWriter(file, checkpointStep);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The step's metrics.jsonl fields as scalars, flushed, so that a kill loses at most the current step.</summary>
    public void Write(StepRecord record)
    {
        var values = new List<SummaryValue>
        {
            SummaryValue.Scalar("loss", (float)record.Loss),
            SummaryValue.Scalar("lr", (float)record.LearningRate),
            SummaryValue.Scalar("step_ms", (float)Math.Round(record.StepMs, 3)),
            SummaryValue.Scalar("data_ms", (float)Math.Round(record.DataMs, 3)),
        };
        if (record.CommunicationMs > 0) values.Add(SummaryValue.Scalar("comm_ms", (float)Math.Round(record.CommunicationMs, 3)));
        if (record.Batch > 0) values.Add(SummaryValue.Scalar("batch", record.Batch));
        if (record.Flops is { } flops) values.Add(SummaryValue.Scalar("flops", flops));
        if (record.Stage > 0) values.Add(SummaryValue.Scalar("stage", record.Stage));
        foreach (var (name, value) in record.Terms)
            values.Add(SummaryValue.Scalar(MetricsWriter.TermField(name), (float)value));
        _file.Summary(record.Step, values);
        _file.Flush();
        _lastStep = record.Step;
    }

    /// <summary>
    /// Ends the session: SUCCESS when the run <paramref name="completed"/>; nothing when it stopped to be resumed, because
    /// TensorBoard keeps the first end it reads for a session.
    /// </summary>
    public void End(bool completed)
    {
        if (completed && !_ended)
            WriteEnd(HParamsSessionStatus.Success);
        _ended = true;
    }

    /// <summary>Disposed without <see cref="End"/>: the run threw, and the session ends as FAILURE. A killed process writes nothing.</summary>
    public void Dispose()
    {
        try
        {
            if (!_ended)
                WriteEnd(HParamsSessionStatus.Failure);
        }
        finally
        {
            _ended = true;
            _file.Dispose();
        }
    }

    private void WriteEnd(HParamsSessionStatus status)
    {
        _file.Summary(_lastStep, [SummaryValue.HParams(HParamsPluginData.SessionEndTag, HParamsPluginData.SessionEnd(status, EventFile.UnixSeconds()))]);
        _file.Flush();
    }
}
