import { describe, expect, it } from 'vitest';
import type { EditClip, EditTimeline } from '../EditTimeline.ts';
import { dialogueLines, escapeFilterArgs, planAnimatic, quoteForFfmpeg, wrapText } from './filterGraph.ts';

function clip(shotNumber: string, kind: 'image' | 'video', durationFrames: number, path = `/media/${shotNumber}.png`): EditClip {
  return {
    shotId: shotNumber, shotNumber, sceneNumber: '1', sceneHeading: '', durationFrames,
    media: { path, kind, widthPx: 640, heightPx: 360 }, action: '', notes: '', dialogue: [],
  };
}

const timeline: EditTimeline = {
  name: 'Plan', frameRate: { num: 24000, den: 1001 }, widthPx: 1920, heightPx: 1080,
  clips: [clip('1', 'image', 7), clip('2', 'image', 13), clip('3', 'video', 30, '/media/3.mp4'), clip('4', 'image', 5)],
};
const stillFiles = new Map([[0, 'still-0.jpg'], [1, 'still-1.jpg'], [3, 'still-2.jpg']]);

describe('escaping for ffmpeg', () => {
  it('quotes values so that quotes, colons and backslashes stay literal', () => {
    expect(quoteForFfmpeg("It's: a\\b")).toBe("'It'\\''s: a\\b'");
    expect(quoteForFfmpeg('')).toBe("''");
  });

  it('escapes the characters the filter-graph parser treats as syntax', () => {
    expect(escapeFilterArgs("text='a,b;c[d]'\\")).toBe("text=\\'a\\,b\\;c\\[d\\]\\'\\\\");
  });
});

describe('dialogue text', () => {
  it('wraps at spaces and cuts words longer than a line', () => {
    expect(wrapText('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrapText('abcdefghijkl x', 5)).toEqual(['abcde', 'fghij', 'kl x']);
    expect(wrapText('  tabs\tand\nnewlines  ', 40)).toEqual(['tabs and newlines']);
  });

  it('writes CHARACTER: (parenthetical) line and ends a cut speech with an ellipsis', () => {
    const shot = {
      dialogue: [
        { character: 'ANNA', text: 'Short.' },
        { character: 'BEN', parenthetical: '(beat)', text: 'a b c d e f g h i j k l m n o p' },
      ],
    };
    expect(dialogueLines(shot, 80, 3)).toEqual(['ANNA: Short.', 'BEN: (beat) a b c d e f g h i j k l m n o p']);
    const cut = dialogueLines(shot, 12, 3);
    expect(cut).toHaveLength(3);
    expect(cut[0]).toBe('ANNA: Short.');
    expect(cut[2]!.endsWith('…')).toBe(true);
    expect(cut.every((line) => line.length <= 12)).toBe(true);
  });
});

describe('planAnimatic', () => {
  it('makes one input per run of stills and per video, joined by one concat', () => {
    const plan = planAnimatic(timeline, { stillFiles });
    expect(plan.totalFrames).toBe(55);
    expect(plan.inputs).toEqual([
      { options: ['-f', 'concat', '-safe', '0'], path: 'run-0000.ffconcat' },
      { options: [], path: '/media/3.mp4' },
      { options: ['-f', 'concat', '-safe', '0'], path: 'run-0002.ffconcat' },
    ]);
    const graph = plan.files.find((f) => f.name === plan.graphFileName)!.text;
    expect(graph).toContain('[s0][s1][s2]concat=n=3:v=1:a=0[vcat]');
    expect(graph).toContain('[0:v]format=pix_fmts=yuv420p,setsar=sar=1,fps=fps=24000/1001,tpad=stop_mode=clone:stop=20,trim=end_frame=20');
    expect(graph).toContain('tpad=stop_mode=clone:stop=30,trim=end_frame=30');
    expect(plan.audioLabel).toBeNull();
  });

  it('starts each still of a run at its exact record frame (microseconds, no drift)', () => {
    const plan = planAnimatic(timeline, { stillFiles });
    const list = plan.files.find((f) => f.name === 'run-0000.ffconcat')!.text;
    // 7 frames at 24000/1001 = 291958.33 us; the second still ends at 20 frames = 834166.67 us -> 834167 - 291958
    expect(list).toBe(
      "ffconcat version 1.0\nfile 'still-0.jpg'\noption framerate 24000/1001\nduration 0.291958\n" +
        "file 'still-1.jpg'\noption framerate 24000/1001\nduration 0.542209\n",
    );
  });

  it('changes the burn-in text half a frame before each shot and escapes it twice', () => {
    const withDialogue: EditTimeline = {
      ...timeline,
      clips: timeline.clips.map((c, i) => (i === 2 ? { ...c, dialogue: [{ character: 'ANNA', text: "It's 5:00, [really]" }] } : c)),
    };
    const plan = planAnimatic(withDialogue, {
      stillFiles, burnIn: { shotNumber: true, dialogue: true, timecode: true }, fontPath: "/fonts/O'Neil Sans.ttf",
    });
    const commands = plan.files.find((f) => f.name === 'burnin.cmd')!.text.trim().split('\n');
    expect(commands).toHaveLength(4);
    expect(commands[0]).toMatch(/^0\.000000 drawtext@shot reinit 'text='\\''SHOT 1'\\'''/);
    // shot 3 starts at frame 20: (20 - 0.5) * 1001 / 24000 s
    expect(commands[2]!.startsWith(`${((19.5 * 1001) / 24000).toFixed(6)} `)).toBe(true);
    expect(commands[2]).toContain(`drawtext@dlg0 reinit 'text='\\''ANNA: It'\\''\\'\\'''\\''s 5:00, [really]'\\'''`);
    // shot 4 clears the dialogue slot it used
    expect(commands[3]).toContain(`drawtext@dlg0 reinit 'text='\\'''\\'''`);
    const graph = plan.files.find((f) => f.name === plan.graphFileName)!.text;
    expect(graph).toContain(`fontfile=\\'/fonts/O\\'\\\\\\'\\'Neil Sans.ttf\\'`);
    expect(graph).toContain(`timecode=\\'01:00:00:00\\':rate=24000/1001`);
  });

  it('uses drop-frame timecode at 30000/1001 and the timeline start', () => {
    const plan = planAnimatic({ ...timeline, frameRate: { num: 30000, den: 1001 }, startFrames: 0 }, {
      stillFiles, burnIn: { timecode: true }, fontPath: '/f.ttf',
    });
    expect(plan.files.find((f) => f.name === plan.graphFileName)!.text).toContain(`timecode=\\'00:00:00\\;00\\'`);
  });

  it('delays, trims and pads the music to the video length in samples', () => {
    const plan = planAnimatic(
      { ...timeline, frameRate: { num: 25, den: 1 }, music: { path: '/m.wav', offsetFrames: 10, durationFrames: 40 } },
      { stillFiles },
    );
    expect(plan.audioLabel).toBe('aout');
    expect(plan.totalAudioSamples).toBe((55 * 48000) / 25);
    const graph = plan.files.find((f) => f.name === plan.graphFileName)!.text;
    expect(graph).toContain('[3:a:0]aresample=osr=48000');
    expect(graph).toContain('atrim=end_sample=76800,asetpts=PTS-STARTPTS,adelay=delays=19200S:all=1,apad=whole_len=105600,atrim=end_sample=105600[aout]');
  });

  it('refuses burn-in without a font and a missing still', () => {
    expect(() => planAnimatic(timeline, { stillFiles, burnIn: { shotNumber: true } })).toThrow(/needs a TrueType font/);
    expect(() => planAnimatic(timeline, { stillFiles: new Map() })).toThrow(/no prepared still for clip 1/);
  });
});
