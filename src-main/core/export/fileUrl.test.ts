import { describe, expect, it } from 'vitest';
import { fileUrlFromPath, mediaFileName } from './fileUrl.ts';

describe('fileUrlFromPath', () => {
  it('percent-encodes POSIX paths as RFC 8089 file URLs', () => {
    expect(fileUrlFromPath('/Users/maya/Story Boards/12A #1.png')).toBe('file:///Users/maya/Story%20Boards/12A%20%231.png');
    expect(fileUrlFromPath('/a/100% café?.png')).toBe('file:///a/100%25%20caf%C3%A9%3F.png');
    expect(fileUrlFromPath('/a/b&c.png')).toBe('file:///a/b%26c.png');
  });

  it('writes the file://localhost form for xmeml', () => {
    expect(fileUrlFromPath('/Volumes/Media/a b.mov', 'localhost')).toBe('file://localhost/Volumes/Media/a%20b.mov');
    expect(fileUrlFromPath('D:\\media\\a b.mov', 'localhost')).toBe('file://localhost/D%3A/media/a%20b.mov');
  });

  it('handles Windows drive and UNC paths on any host', () => {
    expect(fileUrlFromPath('C:\\Users\\Maya\\shot 1.png')).toBe('file:///C:/Users/Maya/shot%201.png');
    expect(fileUrlFromPath('\\\\nas\\projects\\a.png')).toBe('file://nas/projects/a.png');
  });

  it('refuses relative paths', () => {
    expect(() => fileUrlFromPath('takes/a.png')).toThrow(/must be absolute/);
  });
});

describe('mediaFileName', () => {
  it('takes the last segment, splitting on backslashes only for Windows paths', () => {
    expect(mediaFileName('/a/b/shot 12A.png')).toBe('shot 12A.png');
    expect(mediaFileName('C:\\a\\b.png')).toBe('b.png');
    expect(mediaFileName('/a/odd\\name.png')).toBe('odd\\name.png');
  });
});
