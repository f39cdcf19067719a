// The one question before an insert at an earlier step: none when nothing comes later; otherwise the
// question stays open until answered, and a second question cancels the first instead of leaving it hanging.
import { describe, expect, test } from 'vitest';
import { askReplace, replacePrompt } from '../../../src/ui/state/replace-prompt.svelte';

describe('askReplace', () => {
  test('with no later steps it answers "insert" at once, asking nothing', async () => {
    expect(await askReplace(0, 'klist')).toBe('insert');
    expect(replacePrompt.question).toBeUndefined();
  });

  test('with later steps the question shows until the user answers', async () => {
    const answer = askReplace(3, 'klist');
    expect(replacePrompt.question).toMatchObject({ later: 3, what: 'klist' });
    replacePrompt.question!.answer('replace');
    expect(await answer).toBe('replace');
    expect(replacePrompt.question).toBeUndefined();
  });

  test('a second question cancels the first (null), and is the one shown', async () => {
    const first = askReplace(2, 'the cloud ticket GPO off');
    const second = askReplace(2, 'klist');
    expect(await first).toBeNull();
    expect(replacePrompt.question?.what).toBe('klist');
    replacePrompt.question!.answer(null);
    expect(await second).toBeNull();
    expect(replacePrompt.question).toBeUndefined();
  });
});
