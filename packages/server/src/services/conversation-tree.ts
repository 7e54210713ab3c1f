import type { Types } from 'mongoose';
import type { MessageRecord } from '../models/index.js';

/** What the tree needs of each message of a session: its links, role, and whether (and since when) it is shown. */
export type TreeNode = Pick<MessageRecord, '_id' | 'role' | 'parentId' | 'replyTo' | 'hidden' | 'shownAt' | 'versionGroup' | 'createdAt'>;

/**
 * A session's messages as a tree: each message follows its parent, and the children of one parent are the versions
 * of the next turn (a regenerated reply, an edited user message). The conversation shows one branch: the messages
 * not `hidden`. Showing another version shows the branch through it: its ancestors, and after it the versions that
 * were shown most recently, level by level, so stepping back to a version returns to what followed it.
 *
 * Messages stored before versions existed carry no parent link; they form one line (nothing could fork it then), so
 * each one's parent is the message before it, and an assistant message's parent is the message it answers.
 */
export class ConversationTree {
  readonly #nodes: TreeNode[];
  readonly #byId = new Map<string, TreeNode>();
  readonly #parents = new Map<string, string | null>();
  readonly #children = new Map<string | null, TreeNode[]>();

  /** Builds the tree from every message of a session, in any order. */
  constructor(nodes: TreeNode[]) {
    this.#nodes = [...nodes].sort(compareCreation);
    let previous: string | null = null;
    for (const node of this.#nodes) {
      const id = node._id.toHexString();
      this.#byId.set(id, node);
      const parent = node.parentId !== undefined ? (node.parentId?.toHexString() ?? null) : (node.replyTo?.toHexString() ?? previous);
      this.#parents.set(id, parent);
      this.#children.set(parent, [...(this.#children.get(parent) ?? []), node]);
      previous = id;
    }
  }

  /** The message with this id, if it is in the session. */
  get(id: Types.ObjectId | string): TreeNode | undefined {
    return this.#byId.get(typeof id === 'string' ? id : id.toHexString());
  }

  /** The id of the message a message follows (`null` for a first message). */
  parentOf(node: TreeNode): Types.ObjectId | null {
    const parent = this.#parents.get(node._id.toHexString());
    return parent ? this.#byId.get(parent)!._id : null;
  }

  /** The branch shown now, oldest first. */
  shownPath(): TreeNode[] {
    return this.#nodes.filter((node) => !node.hidden);
  }

  /** The messages from the first one down to `node` itself, oldest first. */
  ancestry(node: TreeNode): TreeNode[] {
    const line: TreeNode[] = [];
    for (let at: TreeNode | undefined = node; at; ) {
      line.unshift(at);
      const parent = this.#parents.get(at._id.toHexString());
      at = parent ? this.#byId.get(parent) : undefined;
    }
    return line;
  }

  /** The branch through `node`: its ancestry, then the most recently shown version at each level after it. */
  branchThrough(node: TreeNode): TreeNode[] {
    const branch = this.ancestry(node);
    for (let children = this.#childrenOf(node); children.length > 0; children = this.#childrenOf(branch.at(-1)!)) {
      branch.push(children.reduce((best, child) => (shownTime(child) > shownTime(best) ? child : best)));
    }
    return branch;
  }

  /** What showing `branch` changes: the messages to show and the ones to hide. */
  changesToShow(branch: TreeNode[]): { show: TreeNode[]; hide: TreeNode[] } {
    const onBranch = new Set(branch.map((node) => node._id.toHexString()));
    return {
      show: branch.filter((node) => node.hidden),
      hide: this.#nodes.filter((node) => !node.hidden && !onBranch.has(node._id.toHexString())),
    };
  }

  #childrenOf(node: TreeNode): TreeNode[] {
    return this.#children.get(node._id.toHexString()) ?? [];
  }
}

/** How many messages of a branch the session list counts (user and assistant messages). */
export function countMessages(branch: TreeNode[]): number {
  return branch.filter((node) => node.role === 'user' || node.role === 'assistant').length;
}

function shownTime(node: TreeNode): number {
  return (node.shownAt ?? node.createdAt).getTime();
}

function compareCreation(a: TreeNode, b: TreeNode): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || a._id.toHexString().localeCompare(b._id.toHexString());
}
