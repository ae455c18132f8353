// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IValidiumRegistry} from "../../../contracts/interfaces/IValidiumRegistry.sol";
import {ValidiumRegistry} from "../../../contracts/registry/ValidiumRegistry.sol";
import {ChainId} from "../../../contracts/types/ChainId.sol";
import {UpdatePublicData} from "../../../contracts/types/UpdatePublicData.sol";

import {ConfigDefaults} from "../utils/ConfigDefaults.sol";
import {VM, Vm} from "../utils/Vm.sol";

import {OutcomeLog} from "./OutcomeLog.sol";

/// @title RegistryHandler
/// @notice The invariant fuzzer's actor: registers chains in a bounded tree, submits updates with bounded
///         random acks as the right operator (and, now and then, hostile ones), rolls blocks forward,
///         changes statuses (leaving Active discards the chain's pending commitments), installs elected
///         operators (rolling chains back to their finalized commitment) and relocates subtrees (with valid,
///         corrupted or cyclic requests). It keeps ghost state (parents, depths, child counts, statuses,
///         operators, acks, every live-or-pruned commitment's block, root and withdrawal root, the highest
///         finalized index seen) from which the invariants recount a and b by brute force.
///         Every call's outcome is predicted first: an accepted call that should have failed, or a
///         rejection with any other error than the predicted one, is counted in `unexpectedOutcomes`.
/// @dev The handler deploys the registry itself and holds all its roles. Only its mutating functions
///      (the actions) are fuzzed: the runner skips view and pure functions of a target contract. The
///      block number is kept in `ghostBlock` and re-applied with vm.roll at the start of every action,
///      so it does not depend on the runner persisting it.
///      The runner identifies this contract by matching its deployed bytecode against the artifacts:
///      run the whole suite (or `npx hardhat build`) rather than only RegistryInvariants.t.sol after a
///      clean, or it finds no artifact for this file and reports "No contracts to fuzz".
// solhint-disable-next-line max-states-count
contract RegistryHandler is OutcomeLog {
    // solhint-disable-next-line const-name-snakecase
    Vm internal constant vm = VM;

    uint256 public constant MAX_CHAINS = 24;
    uint16 public constant MAX_FAN_OUT = 3;
    uint8 public constant MAX_DEPTH = 8;
    uint256 public constant MAX_PENDING = 63;

    uint8 internal constant _NONE = uint8(IValidiumRegistry.ChainStatus.None);
    uint8 internal constant _ACTIVE = uint8(IValidiumRegistry.ChainStatus.Active);
    uint8 internal constant _FROZEN = uint8(IValidiumRegistry.ChainStatus.Frozen);
    uint8 internal constant _EJECTED = uint8(IValidiumRegistry.ChainStatus.Ejected);

    ValidiumRegistry public immutable registry;
    address public immutable verifier;

    /*//////////////////////////////////////////////////////////////
                                 GHOST
    //////////////////////////////////////////////////////////////*/

    uint64[] internal _ids;
    mapping(uint64 => bool) public ghostKnown;
    mapping(uint64 => uint64) public ghostParent;
    mapping(uint64 => uint8) public ghostStatus;
    mapping(uint64 => uint8) public ghostDepth;
    mapping(uint64 => uint16) public ghostChildCount;
    uint16 public ghostRootChildCount;
    mapping(uint64 => uint64) public ghostAck;
    /// @dev Operator installed by an emergency election (zero: the registration operator, `_defaultOperator`).
    mapping(uint64 => address) internal _electedOperator;
    /// @dev Block, root and withdrawal root of every commitment made, pruned ones included, by index; leaving
    ///      Active and an election truncate them to the finalized commitment (the discarded indices are reused by
    ///      later commitments, whose withdrawal root, zero or not, must replace the discarded one).
    mapping(uint64 => uint64[]) internal _blocks;
    mapping(uint64 => bytes32[]) internal _roots;
    mapping(uint64 => bytes32[]) internal _withdrawals;
    /// @dev Highest finalized index the registry ever reported for the chain (after any action).
    mapping(uint64 => uint32) public ghostMaxFinalizedSeen;
    /// @dev Newest commitment that had 2·a > b (brute force) after any action: the model's finalized index.
    mapping(uint64 => uint32) public ghostNewestMajority;
    uint256 public ghostBlock;

    /// @dev Times the registry's finalized index went down between two actions.
    uint256 public finalizedDecreases;

    /// @dev Call statistics (accepted / rejected as predicted), for tuning the campaign.
    uint256 public registered;
    uint256 public updated;
    uint256 public statusChanged;
    uint256 public finalizations;
    uint256 public elected;
    uint256 public relocated;
    uint256 public rollbacks;
    /// @dev Status changes out of Active that discarded pending commitments.
    uint256 public discards;

    /// @dev Updates the registry accepted on a chain the ghost had as not Active (must stay 0).
    uint256 public nonActiveUpdatesAccepted;

    /// @notice Deploys the registry (this contract is its admin, registrar, status manager, election and
    ///         relocator) with a cluster
    ///         configuration (this contract its governance and guardian) of limits (MAX_FAN_OUT, MAX_DEPTH, 0),
    ///         and seeds a small tree, 1 ── 2 ── 3 and 1 ── 4, so that every run starts with chains to update.
    constructor(address verifier_) {
        registry = new ValidiumRegistry(address(this), ConfigDefaults.deploy(address(this), MAX_FAN_OUT, MAX_DEPTH, 0));
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
        registry.grantRole(registry.STATUS_ROLE(), address(this));
        registry.grantRole(registry.ELECTION_ROLE(), address(this));
        registry.grantRole(registry.RELOCATOR_ROLE(), address(this));
        verifier = verifier_;
        ghostBlock = block.number;
        _register(1, 0);
        _register(2, 1);
        _register(3, 2);
        _register(4, 1);
        ++ghostBlock;
    }

    modifier action() {
        vm.roll(ghostBlock);
        _;
        _afterAction();
    }

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Registers a chain, usually under a chain that can take a child (searching back from the
    ///         newest one 3 times in 8, which grows depth, else from a random one), sometimes under the
    ///         settlement chain, any chain (maybe Frozen, full or at max depth) or an unknown id. The id is
    ///         a fresh random one, the raw fuzzed value, 0 (1 in 16) or a duplicate (1 in 16).
    function registerChain(uint256 idSeed, uint256 parentSeed) external action {
        uint256 n = _ids.length;
        uint256 r = _rand(parentSeed, 1);
        uint64 id;
        if (n > 0 && r % 16 == 0) {
            id = _ids[idSeed % n];
        } else if (r % 16 == 1) {
            id = 0;
        } else if (r % 4 == 2) {
            id = uint64(_rand(idSeed, 2));
        } else {
            id = uint64(idSeed);
        }
        uint64 parent;
        uint256 p = (r >> 8) % 32;
        if (p == 0) {
            parent = uint64(parentSeed);
        } else if (p < 4 || n == 0) {
            parent = 0;
        } else if (p < 8) {
            parent = _ids[parentSeed % n];
        } else {
            parent = _eligibleParent(p < 20 ? n - 1 : parentSeed % n);
        }

        if (n >= MAX_CHAINS && _expectedRegisterError(id, parent).length == 0) return;
        _register(id, parent);
    }

    /// @notice Submits an update of a random chain (an Active one 15 times in 16). Mostly well-formed
    ///         (ack: the previous one, the current block, or in between), sometimes (1 in 16 each) with an
    ///         ack in the future (up to 2^64 - 1) or below the previous one, and (1 in 32 each) with a
    ///         wrong prevRoot or a wrong caller.
    function submitUpdate(uint256 chainSeed, uint256 ackSeed, bytes32 newRoot) external action {
        if (_ids.length == 0) return;
        uint256 r = _rand(ackSeed, 3);
        uint64 id = _pickChain(chainSeed, r % 16 != 0);
        uint64 prev = ghostAck[id];
        uint64 ack;
        uint256 mode = (r >> 8) % 16;
        if (mode < 3) {
            ack = prev;
        } else if (mode < 7) {
            ack = uint64(block.number);
        } else if (mode == 7) {
            ack = uint64(block.number + 1 + (ackSeed % (type(uint64).max - block.number)));
        } else if (mode == 8 && prev > 0) {
            ack = uint64(ackSeed % prev);
        } else {
            ack = uint64(prev + (ackSeed % (block.number - prev + 1)));
        }
        uint256 hostile = (r >> 16) % 32;
        address caller = hostile == 0 ? address(uint160(chainSeed)) : operatorOf(id);
        bytes32 prevRoot = hostile == 1 ? keccak256(abi.encode(newRoot)) : latestRoot(id);
        _submit(id, ack, prevRoot, newRoot, caller);
    }

    /// @notice Moves 0 to 2 blocks forward, then submits a well-formed update of a random Active chain
    ///         that acknowledges the current block: the move that finalizes most.
    function submitUpdateAckNow(uint256 chainSeed, bytes32 newRoot) external action {
        if (_ids.length == 0) return;
        ghostBlock += _rand(chainSeed, 4) % 3;
        vm.roll(ghostBlock);
        uint64 id = _pickChain(chainSeed, true);
        _submit(id, uint64(block.number), latestRoot(id), newRoot, operatorOf(id));
    }

    /// @notice Changes a random chain's status: usually a valid move (Active → Frozen, Frozen → Active,
    ///         and → Ejected 1 time in 16), sometimes (1 in 16) a random target (None, the same status,
    ///         out of Ejected), or (1 in 64) an unknown chain. On a move out of Active the ghost drops the
    ///         chain's commitments after the finalized one (the registry discards them first).
    function setChainStatus(uint256 chainSeed, uint256 statusSeed) external action {
        if (_ids.length == 0) return;
        uint256 r = _rand(statusSeed, 5);
        uint64 id = r % 64 == 63 ? uint64(_rand(chainSeed, 6)) : _ids[chainSeed % _ids.length];
        uint256 k = (r >> 8) % 16;
        uint8 to;
        if (k == 0) {
            to = uint8(statusSeed % 4);
        } else if (k == 1) {
            to = _EJECTED;
        } else {
            to = ghostStatus[id] == _ACTIVE ? _FROZEN : _ACTIVE;
        }

        bytes memory expected;
        uint8 from = ghostStatus[id];
        if (!ghostKnown[id]) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownChain.selector, id);
        } else if (from == _EJECTED || to == _NONE || to == from) {
            expected = abi.encodeWithSelector(
                IValidiumRegistry.RegistryInvalidStatusChange.selector,
                id,
                IValidiumRegistry.ChainStatus(from),
                IValidiumRegistry.ChainStatus(to)
            );
        }
        try registry.setChainStatus(ChainId.wrap(id), IValidiumRegistry.ChainStatus(to)) {
            if (expected.length != 0) return _unexpected("setChainStatus accepted", expected);
            // Leaving Active discards the pending commitments before the chain leaves b along its path.
            if (from == _ACTIVE && _truncate(id)) ++discards;
            ghostStatus[id] = to;
            ++statusChanged;
        } catch (bytes memory err) {
            _checkRejection("setChainStatus", err, expected);
        }
    }

    /// @notice Installs an elected operator on a random chain (usually a known one, 1 in 32 an unknown id; the
    ///         operator is zero 1 in 16). On success the ghost drops every commitment after the finalized one,
    ///         the chain is Active (a Frozen one is unfrozen: no queue is bound, so no hatch check) with the
    ///         new operator. The handler's stake is always 0 (minimum stake 0), so nothing is transferred.
    function elect(uint256 chainSeed, uint256 opSeed) external action {
        if (_ids.length == 0) return;
        uint256 r = _rand(opSeed, 7);
        uint64 id = r % 32 == 31 ? uint64(_rand(chainSeed, 8)) : _ids[chainSeed % _ids.length];
        address op = (r >> 8) % 16 == 0 ? address(0) : address(uint160(_rand(opSeed, 9)) | 1);
        bytes memory expected;
        if (op == address(0)) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryZeroAddress.selector);
        } else if (!ghostKnown[id]) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownChain.selector, id);
        } else if (ghostStatus[id] == _EJECTED) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryNotMember.selector, id);
        }
        try registry.installElectedOperator(ChainId.wrap(id), op) returns (uint32 rolledBackTo, uint256 slashed) {
            if (expected.length != 0) return _unexpected("installElectedOperator accepted", expected);
            uint32 fin = ghostNewestMajority[id];
            if (rolledBackTo != fin || slashed != 0) {
                return _unexpected("installElectedOperator result", abi.encode(rolledBackTo, slashed));
            }
            // A Frozen chain discarded its pending commitments when it left Active: nothing more to roll back.
            if (_truncate(id)) ++rollbacks;
            ghostStatus[id] = _ACTIVE;
            _electedOperator[id] = op;
            ++elected;
        } catch (bytes memory err) {
            _checkRejection("installElectedOperator", err, expected);
        }
    }

    /// @notice Relocates a random chain (an Active one 7 times in 8, 1 in 16 an unknown id) under a new parent:
    ///         usually one that can take it, else (1 in 16 each) the settlement chain twice as often, a random
    ///         chain, a chain of its own subtree (a cycle), its current parent, or an unknown id. The subtree
    ///         list is the ghost's, in the required order; 1 in 2 it is corrupted (empty, short parent index,
    ///         wrong first entry, last entry dropped, two entries swapped, a wrong parent index, an entry
    ///         repeated, an outside id appended). The error is predicted by replaying the registry's checks on
    ///         the ghost. On success the ghost moves the subtree: parent, depths, child counts, and acks 0.
    function relocate(uint256 chainSeed, uint256 parentSeed, uint256 listSeed) external action {
        if (_ids.length == 0) return;
        uint256 r = _rand(parentSeed, 10);
        uint64 id = r % 16 == 15 ? uint64(_rand(chainSeed, 11)) : _pickChain(chainSeed, r % 8 != 0);
        uint64 newParent = _pickNewParent(id, parentSeed, (r >> 8) % 16);
        ChainId[] memory list;
        uint256[] memory parentIndex;
        if (ghostKnown[id]) {
            uint64[] memory raw;
            (raw, parentIndex) = subtreeList(id);
            list = new ChainId[](raw.length);
            for (uint256 i; i < raw.length; ++i) list[i] = ChainId.wrap(raw[i]);
        } else {
            list = new ChainId[](1);
            list[0] = ChainId.wrap(id);
            parentIndex = new uint256[](1);
        }
        (list, parentIndex) = _corrupt(list, parentIndex, listSeed);
        bytes memory expected = _expectedRelocateError(id, newParent, list, parentIndex);
        try registry.relocate(ChainId.wrap(id), ChainId.wrap(newParent), list, parentIndex) {
            if (expected.length != 0) return _unexpected("relocate accepted", expected);
            _moveGhost(id, newParent, list);
            ++relocated;
        } catch (bytes memory err) {
            _checkRejection("relocate", err, expected);
        }
    }

    /// @notice Moves the chain 1 to 8 blocks forward.
    function rollBlocks(uint256 by) external action {
        ghostBlock += 1 + (by % 8);
        vm.roll(ghostBlock);
    }

    /*//////////////////////////////////////////////////////////////
                              GHOST VIEWS
    //////////////////////////////////////////////////////////////*/

    function chainIds() external view returns (uint64[] memory) {
        return _ids;
    }

    function commitmentBlocks(uint64 id) external view returns (uint64[] memory) {
        return _blocks[id];
    }

    function commitmentRoots(uint64 id) external view returns (bytes32[] memory) {
        return _roots[id];
    }

    /// @notice The withdrawal root each commitment of `id` was submitted with (zero for the genesis commitment).
    function commitmentWithdrawalRoots(uint64 id) external view returns (bytes32[] memory) {
        return _withdrawals[id];
    }

    function latestRoot(uint64 id) public view returns (bytes32) {
        bytes32[] storage roots = _roots[id];
        return roots[roots.length - 1];
    }

    /// @notice The chain's current operator: the elected one if any, else the one it was registered with.
    function operatorOf(uint64 id) public view returns (address) {
        address e = _electedOperator[id];
        return e != address(0) ? e : _defaultOperator(id);
    }

    /// @notice The ghost children of `u` (any status), by increasing id; `u` = 0 gives the top-level chains.
    function childrenOf(uint64 u) public view returns (uint64[] memory kids) {
        uint256 n = _ids.length;
        uint256 count;
        for (uint256 i; i < n; ++i) {
            if (ghostParent[_ids[i]] == u) ++count;
        }
        kids = new uint64[](count);
        count = 0;
        for (uint256 i; i < n; ++i) {
            uint64 w = _ids[i];
            if (ghostParent[w] != u) continue;
            uint256 k = count++;
            for (; k > 0 && kids[k - 1] > w; --k) kids[k] = kids[k - 1];
            kids[k] = w;
        }
    }

    /// @notice The subtree of `root` in the order `relocate` requires (each entry after its parent, siblings by
    ///         increasing id: breadth first), with each entry's parent index (0 for the root).
    function subtreeList(uint64 root) public view returns (uint64[] memory list, uint256[] memory parentIndex) {
        uint256 n;
        for (uint256 i; i < _ids.length; ++i) {
            if (inSubtree(_ids[i], root)) ++n;
        }
        list = new uint64[](n);
        parentIndex = new uint256[](n);
        list[0] = root;
        uint256 filled = 1;
        for (uint256 i; i < filled; ++i) {
            uint64[] memory kids = childrenOf(list[i]);
            for (uint256 k; k < kids.length; ++k) {
                list[filled] = kids[k];
                parentIndex[filled++] = i;
            }
        }
    }

    /// @notice Whether `w` is `u` or a descendant of `u`, from the ghost parents.
    function inSubtree(uint64 w, uint64 u) public view returns (bool) {
        for (uint64 x = w; x != 0; x = ghostParent[x]) {
            if (x == u) return true;
        }
        return false;
    }

    /// @notice The latest acks of the Active chains in subtree(u), u included: its length is b(u), and
    ///         a(c) for a commitment of u at block t is the number of entries > t.
    function activeAcksInSubtree(uint64 u) public view returns (uint64[] memory acks) {
        uint256 n = _ids.length;
        uint256 count;
        for (uint256 i; i < n; ++i) {
            uint64 w = _ids[i];
            if (ghostStatus[w] == _ACTIVE && inSubtree(w, u)) ++count;
        }
        acks = new uint64[](count);
        count = 0;
        for (uint256 i; i < n; ++i) {
            uint64 w = _ids[i];
            if (ghostStatus[w] == _ACTIVE && inSubtree(w, u)) acks[count++] = ghostAck[w];
        }
    }

    /// @notice Number of entries of `acks` greater than `blockNumber`.
    function countAbove(uint64[] memory acks, uint256 blockNumber) public pure returns (uint256 a) {
        for (uint256 i; i < acks.length; ++i) {
            if (acks[i] > blockNumber) ++a;
        }
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    function _defaultOperator(uint64 id) internal pure returns (address) {
        return address(uint160(uint256(keccak256(abi.encode("operator", id)))) | 1);
    }

    /// @dev A new parent for `id` by `mode` (see `relocate`).
    function _pickNewParent(uint64 id, uint256 seed, uint256 mode) internal view returns (uint64) {
        uint256 n = _ids.length;
        if (mode < 2) return 0;
        if (mode == 2) return _ids[seed % n];
        if (mode == 3 && ghostKnown[id]) {
            (uint64[] memory sub, ) = subtreeList(id);
            return sub[seed % sub.length];
        }
        if (mode == 4) return ghostParent[id];
        if (mode == 5) return uint64(_rand(seed, 12));
        for (uint256 k; k < n; ++k) {
            uint64 p = _ids[(seed + k) % n];
            if (
                ghostStatus[p] == _ACTIVE &&
                p != ghostParent[id] &&
                !inSubtree(p, id) &&
                ghostDepth[p] < MAX_DEPTH &&
                ghostChildCount[p] < MAX_FAN_OUT
            ) return p;
        }
        return 0;
    }

    /// @dev Half the time returns the list unchanged; else one corruption picked by `seed`.
    function _corrupt(
        ChainId[] memory list,
        uint256[] memory pi,
        uint256 seed
    ) internal pure returns (ChainId[] memory, uint256[] memory) {
        uint256 kind = seed % 16;
        uint256 n = list.length;
        uint256 at = (seed >> 8) % n;
        if (kind == 0) return (new ChainId[](0), new uint256[](0));
        if (kind == 1) return (list, _resized(pi, n - 1));
        if (kind == 2) {
            list[0] = n > 1 ? list[n - 1] : ChainId.wrap(uint64(seed >> 16));
        } else if (kind == 3) {
            return (_resizedIds(list, n - 1), _resized(pi, n - 1));
        } else if (kind == 4 && n > 2) {
            at = 1 + (at % (n - 2));
            (list[at], list[at + 1]) = (list[at + 1], list[at]);
            (pi[at], pi[at + 1]) = (pi[at + 1], pi[at]);
        } else if (kind == 5) {
            pi[at] = (seed >> 24) % (n + 1);
        } else if (kind == 6 || kind == 7) {
            list = _resizedIds(list, n + 1);
            pi = _resized(pi, n + 1);
            list[n] = kind == 6 ? list[at] : ChainId.wrap(uint64(seed >> 32));
            pi[n] = kind == 6 ? pi[at] : (seed >> 24) % (n + 1);
        }
        return (list, pi);
    }

    function _resized(uint256[] memory a, uint256 n) internal pure returns (uint256[] memory b) {
        b = new uint256[](n);
        for (uint256 i; i < n && i < a.length; ++i) b[i] = a[i];
    }

    function _resizedIds(ChainId[] memory a, uint256 n) internal pure returns (ChainId[] memory b) {
        b = new ChainId[](n);
        for (uint256 i; i < n && i < a.length; ++i) b[i] = a[i];
    }

    /// @dev The registry's relocate checks, in its order, replayed on the ghost (empty: accepted).
    function _expectedRelocateError(
        uint64 id,
        uint64 newParent,
        ChainId[] memory list,
        uint256[] memory pi
    ) internal view returns (bytes memory) {
        if (!ghostKnown[id]) return abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownChain.selector, id);
        if (ghostStatus[id] != _ACTIVE) {
            return
                abi.encodeWithSelector(
                    IValidiumRegistry.RegistryChainNotActive.selector,
                    id,
                    IValidiumRegistry.ChainStatus(ghostStatus[id])
                );
        }
        if (newParent == ghostParent[id]) {
            return abi.encodeWithSelector(IValidiumRegistry.RegistryBadNewParent.selector, id, newParent);
        }
        bytes memory slot = _expectedChildSlotError(id, newParent);
        if (slot.length != 0) return slot;
        return _expectedSubtreeError(id, newParent == 0 ? 1 : uint256(ghostDepth[newParent]) + 1, list, pi);
    }

    /// @dev `_takeChildSlot(id, parent)`: fan-out of the settlement chain; else known, Active, no cycle, fan-out.
    function _expectedChildSlotError(uint64 id, uint64 parent) internal view returns (bytes memory) {
        if (parent == 0) {
            if (ghostRootChildCount >= MAX_FAN_OUT) {
                return abi.encodeWithSelector(IValidiumRegistry.RegistryFanOutExceeded.selector, 0, MAX_FAN_OUT);
            }
            return "";
        }
        if (!ghostKnown[parent]) return abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownChain.selector, parent);
        if (ghostStatus[parent] != _ACTIVE) {
            return
                abi.encodeWithSelector(
                    IValidiumRegistry.RegistryChainNotActive.selector,
                    parent,
                    IValidiumRegistry.ChainStatus(ghostStatus[parent])
                );
        }
        if (inSubtree(parent, id)) {
            return abi.encodeWithSelector(IValidiumRegistry.RegistryBadNewParent.selector, id, parent);
        }
        if (ghostChildCount[parent] >= MAX_FAN_OUT) {
            return abi.encodeWithSelector(IValidiumRegistry.RegistryFanOutExceeded.selector, parent, MAX_FAN_OUT);
        }
        return "";
    }

    /// @dev `_checkSubtree`: shape, base depth, then per entry (in order) its parent, sibling order and depth,
    ///      then Σ childCount = n - 1.
    function _expectedSubtreeError(
        uint64 id,
        uint256 baseDepth,
        ChainId[] memory list,
        uint256[] memory pi
    ) internal view returns (bytes memory) {
        uint256 n = list.length;
        bytes memory bad = abi.encodeWithSelector(IValidiumRegistry.RegistryBadSubtree.selector, id);
        if (n == 0 || pi.length != n || ChainId.unwrap(list[0]) != id) return bad;
        if (baseDepth > MAX_DEPTH) return _depthError(baseDepth);
        uint256[] memory depth = new uint256[](n);
        uint256[] memory lastChild = new uint256[](n);
        depth[0] = baseDepth;
        uint256 children = ghostChildCount[id];
        for (uint256 i = 1; i < n; ++i) {
            uint64 e = ChainId.unwrap(list[i]);
            uint256 p = pi[i];
            if (p >= i || ChainId.unwrap(list[p]) != ghostParent[e] || e <= lastChild[p]) return bad;
            lastChild[p] = e;
            depth[i] = depth[p] + 1;
            if (depth[i] > MAX_DEPTH) return _depthError(depth[i]);
            children += ghostChildCount[e];
        }
        return children == n - 1 ? bytes("") : bad;
    }

    function _depthError(uint256 depth) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IValidiumRegistry.RegistryDepthExceeded.selector, uint8(depth), MAX_DEPTH);
    }

    /// @dev The ghost side of an accepted relocation of `id` (its subtree is `list`, in order) under `newParent`.
    function _moveGhost(uint64 id, uint64 newParent, ChainId[] memory list) internal {
        uint64 old = ghostParent[id];
        if (old == 0) --ghostRootChildCount;
        else --ghostChildCount[old];
        if (newParent == 0) ++ghostRootChildCount;
        else ++ghostChildCount[newParent];
        ghostParent[id] = newParent;
        for (uint256 i; i < list.length; ++i) {
            uint64 e = ChainId.unwrap(list[i]);
            uint64 p = ghostParent[e];
            ghostDepth[e] = p == 0 ? 1 : ghostDepth[p] + 1;
            ghostAck[e] = 0;
        }
    }

    /// @dev Registers `id` under `parent` with the predicted outcome, and records it in the ghost.
    function _register(uint64 id, uint64 parent) internal {
        bytes memory expected = _expectedRegisterError(id, parent);
        bytes32 genesis = keccak256(abi.encode("genesis", id, block.number));
        try registry.registerChain(ChainId.wrap(id), ChainId.wrap(parent), operatorOf(id), verifier, genesis) {
            if (expected.length != 0) return _unexpected("registerChain accepted", expected);
            _ids.push(id);
            ghostKnown[id] = true;
            ghostParent[id] = parent;
            ghostStatus[id] = _ACTIVE;
            if (parent == 0) {
                ghostDepth[id] = 1;
                ++ghostRootChildCount;
            } else {
                ghostDepth[id] = ghostDepth[parent] + 1;
                ++ghostChildCount[parent];
            }
            _blocks[id].push(uint64(block.number));
            _roots[id].push(genesis);
            _withdrawals[id].push(bytes32(0));
            ++registered;
        } catch (bytes memory err) {
            _checkRejection("registerChain", err, expected);
        }
    }

    function _rand(uint256 seed, uint256 salt) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode(seed, salt)));
    }

    /// @dev `_ids[seed % n]`, or with `preferActive` the first Active chain from there on (if any).
    function _pickChain(uint256 seed, bool preferActive) internal view returns (uint64) {
        uint256 n = _ids.length;
        uint256 start = seed % n;
        if (preferActive) {
            for (uint256 k; k < n; ++k) {
                uint64 id = _ids[(start + k) % n];
                if (ghostStatus[id] == _ACTIVE) return id;
            }
        }
        return _ids[start];
    }

    /// @dev The first chain at or before index `from` (wrapping around) that can take a child, else 0.
    function _eligibleParent(uint256 from) internal view returns (uint64) {
        uint256 n = _ids.length;
        for (uint256 k; k < n; ++k) {
            uint64 id = _ids[(from + n - k) % n];
            if (ghostStatus[id] == _ACTIVE && ghostDepth[id] < MAX_DEPTH && ghostChildCount[id] < MAX_FAN_OUT) {
                return id;
            }
        }
        return 0;
    }

    function _submit(uint64 id, uint64 ack, bytes32 prevRoot, bytes32 newRoot, address caller) internal {
        bytes memory expected = _expectedSubmitError(id, ack, prevRoot, caller);
        UpdatePublicData memory d;
        d.chainId = ChainId.wrap(id);
        d.ackBlock = ack;
        d.l2Block = uint64(_blocks[id].length);
        d.prevRoot = prevRoot;
        d.newRoot = newRoot;
        // Half the updates carry a withdrawal root: a zero one at a reused index must not show a discarded root.
        if (uint256(newRoot) & 1 == 1) d.withdrawalRoot = keccak256(abi.encode("withdrawals", newRoot));
        vm.prank(caller);
        try registry.submitUpdate(d, "") returns (uint32 index) {
            if (expected.length != 0) {
                if (ghostStatus[id] != _ACTIVE) ++nonActiveUpdatesAccepted;
                return _unexpected("submitUpdate accepted", expected);
            }
            if (index != _blocks[id].length) return _unexpected("submitUpdate index", abi.encode(index));
            ghostAck[id] = ack;
            _blocks[id].push(uint64(block.number));
            _roots[id].push(newRoot);
            _withdrawals[id].push(d.withdrawalRoot);
            ++updated;
        } catch (bytes memory err) {
            _checkRejection("submitUpdate", err, expected);
        }
    }

    function _expectedRegisterError(uint64 id, uint64 parent) internal view returns (bytes memory) {
        if (id == 0) return abi.encodeWithSelector(IValidiumRegistry.RegistryReservedChainId.selector);
        if (ghostKnown[id]) return abi.encodeWithSelector(IValidiumRegistry.RegistryChainExists.selector, id);
        if (parent == 0) {
            if (ghostRootChildCount >= MAX_FAN_OUT) {
                return abi.encodeWithSelector(IValidiumRegistry.RegistryFanOutExceeded.selector, 0, MAX_FAN_OUT);
            }
            return "";
        }
        if (!ghostKnown[parent]) {
            return abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownChain.selector, parent);
        }
        if (ghostStatus[parent] != _ACTIVE) {
            return
                abi.encodeWithSelector(
                    IValidiumRegistry.RegistryChainNotActive.selector,
                    parent,
                    IValidiumRegistry.ChainStatus(ghostStatus[parent])
                );
        }
        if (ghostDepth[parent] + 1 > MAX_DEPTH) {
            return
                abi.encodeWithSelector(
                    IValidiumRegistry.RegistryDepthExceeded.selector,
                    ghostDepth[parent] + 1,
                    MAX_DEPTH
                );
        }
        if (ghostChildCount[parent] >= MAX_FAN_OUT) {
            return abi.encodeWithSelector(IValidiumRegistry.RegistryFanOutExceeded.selector, parent, MAX_FAN_OUT);
        }
        return "";
    }

    function _expectedSubmitError(
        uint64 id,
        uint64 ack,
        bytes32 prevRoot,
        address caller
    ) internal view returns (bytes memory) {
        if (caller != operatorOf(id)) {
            return abi.encodeWithSelector(IValidiumRegistry.RegistryNotOperator.selector, id, caller);
        }
        if (ghostStatus[id] != _ACTIVE) {
            return
                abi.encodeWithSelector(
                    IValidiumRegistry.RegistryChainNotActive.selector,
                    id,
                    IValidiumRegistry.ChainStatus(ghostStatus[id])
                );
        }
        if (ack > block.number) {
            return abi.encodeWithSelector(IValidiumRegistry.RegistryAckInFuture.selector, ack, block.number);
        }
        uint64 prev = ghostAck[id];
        if (ack < prev) return abi.encodeWithSelector(IValidiumRegistry.RegistryAckDecreasing.selector, ack, prev);
        bytes32 latest = latestRoot(id);
        if (prevRoot != latest) {
            return abi.encodeWithSelector(IValidiumRegistry.RegistryNotOnLatest.selector, id, latest, prevRoot);
        }
        // The ack is applied (and may finalize) before the pending window is checked.
        uint256 pending = _blocks[id].length - 1 - _finalizedAfterOwnAck(id, ack);
        if (pending >= MAX_PENDING) {
            return abi.encodeWithSelector(IValidiumRegistry.RegistryTooManyPending.selector, id, uint32(pending));
        }
        return "";
    }

    /// @dev The model's finalized index of `id` once its own ack moves to `ack`.
    function _finalizedAfterOwnAck(uint64 id, uint64 ack) internal view returns (uint256) {
        uint64 old = ghostAck[id];
        uint64[] memory acks = activeAcksInSubtree(id);
        // `id` is Active here, so its own ack is in the list: replace one occurrence of the old value.
        for (uint256 i; i < acks.length; ++i) {
            if (acks[i] == old) {
                acks[i] = ack;
                break;
            }
        }
        uint256 fin = ghostNewestMajority[id];
        uint64[] storage blocks = _blocks[id];
        for (uint256 j = blocks.length - 1; j > fin; --j) {
            if (2 * countAbove(acks, blocks[j]) > acks.length) return j;
        }
        return fin;
    }

    /// @dev Drops the ghost commitments of `id` after its finalized one (the model's), as the registry's
    ///      `_discardPending` does. Returns whether there was any.
    function _truncate(uint64 id) internal returns (bool discarded) {
        uint32 fin = ghostNewestMajority[id];
        discarded = _blocks[id].length - 1 > fin;
        while (_blocks[id].length - 1 > fin) {
            _blocks[id].pop();
            _roots[id].pop();
            _withdrawals[id].pop();
        }
    }

    /// @dev After every action: records the registry's finalized indices (counting any decrease) and
    ///      advances the model's finalized index to the newest commitment with a brute-force majority.
    function _afterAction() internal {
        uint256 n = _ids.length;
        for (uint256 i; i < n; ++i) {
            uint64 u = _ids[i];
            uint32 fin = registry.chain(ChainId.wrap(u)).finalizedIndex;
            if (fin < ghostMaxFinalizedSeen[u]) {
                ++finalizedDecreases;
            } else {
                ghostMaxFinalizedSeen[u] = fin;
            }
            uint256 modelFin = ghostNewestMajority[u];
            uint64[] storage blocks = _blocks[u];
            if (blocks.length - 1 == modelFin) continue;
            uint64[] memory acks = activeAcksInSubtree(u);
            for (uint256 j = blocks.length - 1; j > modelFin; --j) {
                if (2 * countAbove(acks, blocks[j]) > acks.length) {
                    ghostNewestMajority[u] = uint32(j);
                    ++finalizations;
                    break;
                }
            }
        }
    }
}
