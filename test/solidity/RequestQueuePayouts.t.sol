// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

import {ClusterConfig} from "../../contracts/governance/ClusterConfig.sol";
import {IEscapeVerifier} from "../../contracts/interfaces/IEscapeVerifier.sol";
import {IPoseidon4} from "../../contracts/interfaces/IPoseidon4.sol";
import {IRequestQueue} from "../../contracts/interfaces/IRequestQueue.sol";
import {IValidiumRegistry} from "../../contracts/interfaces/IValidiumRegistry.sol";
import {ValidiumRegistry} from "../../contracts/registry/ValidiumRegistry.sol";
import {RequestQueue} from "../../contracts/settlement/RequestQueue.sol";
import {ChainId} from "../../contracts/types/ChainId.sol";
import {UpdatePublicData} from "../../contracts/types/UpdatePublicData.sol";
import {LedgerSignatureVerifier} from "../../contracts/verifiers/LedgerSignatureVerifier.sol";

import {ConfigDefaults} from "./utils/ConfigDefaults.sol";
import {MockERC20} from "./utils/MockERC20.sol";
import {MockPoseidon4} from "./utils/MockPoseidon4.sol";
import {KeccakPoseidon2, KeccakPoseidon3, KeccakPoseidon5} from "./utils/MockPoseidons.sol";
import {Test} from "./utils/Test.sol";
import {AcceptingVerifier} from "./utils/Verifiers.sol";

/// @notice TEST-ONLY escape verifier: the proof is `abi.encode(root, accountId, tokenId, amount)` and is valid
///         iff `root` is the state root the escrow passes (so a proof against any other root, e.g. a pending
///         one, is rejected as the real verifier would with `EscapeStateRootMismatch`).
contract MockEscapeVerifier is IEscapeVerifier {
    /// @inheritdoc IEscapeVerifier
    function verifyEscape(
        ChainId,
        bytes32 stateRoot,
        address,
        bytes calldata proof
    ) external pure returns (uint256 accountId, uint256 tokenId, uint256 amount) {
        bytes32 root;
        (root, accountId, tokenId, amount) = abi.decode(proof, (bytes32, uint256, uint256, uint256));
        if (root != stateRoot) revert EscapeStateRootMismatch(stateRoot, root);
        if (amount == 0) revert EscapeZeroBalance(accountId);
    }
}

/// @notice A recipient that tries to claim the same withdrawal again when paid.
contract ReentrantRecipient {
    RequestQueue private immutable _rq;
    bytes private _call;
    bytes public reentryError;
    uint256 public received;

    constructor(RequestQueue rq_) {
        _rq = rq_;
    }

    function arm(bytes calldata call_) external {
        _call = call_;
    }

    // solhint-disable-next-line no-complex-fallback
    receive() external payable {
        received += msg.value;
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory err) = address(_rq).call(_call);
        reentryError = ok ? bytes("no revert") : err;
    }
}

/// @notice Unit, fuzz and sequence tests of RequestQueue's payouts (`claimWithdrawal`, `escape`,
///         `reclaimDeposit`) with a real ValidiumRegistry bound to the queue and MOCK Poseidons (keccak mod r;
///         the real circomlibjs contracts are exercised in test/settlement/RequestQueuePayouts.test.ts). Every
///         rejection reverts with its custom error and changes nothing (fingerprint).
/// @dev Chains: A(1) registered without an escape verifier; E(2) admitted with a MockEscapeVerifier; both
///      top-level with an accepting update verifier, so a chain's next update (acknowledging a later block)
///      finalizes its previous commitment. This contract holds the STATUS_ROLE (freezes chains directly).
contract RequestQueuePayoutsTest is Test {
    uint256 internal constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint256 internal constant FEE = 1e15;

    ChainId internal constant ROOT = ChainId.wrap(0);
    ChainId internal constant A = ChainId.wrap(1);
    ChainId internal constant E = ChainId.wrap(2);
    address internal constant OP_A = address(0x1001);
    address internal constant OP_E = address(0x1002);
    address internal constant REFUND = address(0xF00D);
    address internal constant R1 = address(0xBEEF1);
    address internal constant R2 = address(0xBEEF2);
    address internal constant STRANGER = address(0xCAFE);
    uint256 internal constant KEY = 0x1234;

    ClusterConfig internal config;
    ValidiumRegistry internal registry;
    AcceptingVerifier internal verifier;
    MockPoseidon4 internal p4;
    KeccakPoseidon2 internal p2;
    KeccakPoseidon3 internal p3;
    RequestQueue internal rq;
    MockERC20 internal token;
    MockEscapeVerifier internal escapeVerifier;
    uint32 internal tid;

    /// @dev The withdrawal list (K = 4) of the latest `_commit`.
    uint256[4] internal entries;

    function setUp() public {
        config = ConfigDefaults.deploy(address(this), 16, 8, 0);
        registry = new ValidiumRegistry(address(this), config);
        verifier = new AcceptingVerifier();
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
        registry.grantRole(registry.STATUS_ROLE(), address(this));
        p4 = new MockPoseidon4();
        p2 = new KeccakPoseidon2();
        p3 = new KeccakPoseidon3();
        LedgerSignatureVerifier sv = new LedgerSignatureVerifier(p2, IPoseidon4(address(p4)), new KeccakPoseidon5());
        rq = new RequestQueue(registry, p4, p2, p3, sv, address(this));
        escapeVerifier = new MockEscapeVerifier();
        registry.registerChain(A, ROOT, OP_A, address(verifier), keccak256("genesis A"));
        registry.admitChain(
            IValidiumRegistry.Admission({
                chainId: E,
                parent: ROOT,
                governance: address(0xE0E),
                security: IValidiumRegistry.SecurityConfig({
                    operator: OP_E,
                    verifier: address(verifier),
                    escapeVerifier: address(escapeVerifier),
                    codeHash: bytes32(0),
                    configHash: bytes32(0)
                }),
                genesisRoot: keccak256("genesis E")
            })
        );
        registry.bindRequestQueue(rq);
        registry.grantRole(registry.FREEZER_ROLE(), address(rq));
        token = new MockERC20("Token", "TOK");
        tid = rq.registerToken(address(token));
        token.mint(address(this), 1 << 200);
        token.approve(address(rq), type(uint256).max);
        vm.deal(address(this), 1 << 200);
        vm.warp(1_000_000);
    }

    // ---------------------------------------------------------------- helpers

    function _entry(address recipient, uint32 tokenId, uint256 amount) internal view returns (uint256) {
        return p3.hash([uint256(uint160(recipient)), uint256(tokenId), amount]);
    }

    function _rootOf(uint256[4] memory e) internal view returns (bytes32) {
        return bytes32(p2.hash([p2.hash([e[0], e[1]]), p2.hash([e[2], e[3]])]));
    }

    /// @dev The siblings of slot k in the tree of `entries` (leaf level first).
    function _siblings(uint32 k) internal view returns (uint256[] memory s) {
        s = new uint256[](2);
        s[0] = entries[k ^ 1];
        s[1] = k < 2 ? p2.hash([entries[2], entries[3]]) : p2.hash([entries[0], entries[1]]);
    }

    /// @dev An update of `chain` consuming its queue up to `position` with withdrawal root `wroot`, one block
    ///      after the previous one (so it acknowledges a later block and finalizes the previous commitment).
    function _update(ChainId chain, uint64 position, bytes32 wroot) internal returns (uint32 index) {
        vm.roll(block.number + 1);
        (, IValidiumRegistry.CommitmentInfo memory latest) = registry.latestCommitment(chain);
        UpdatePublicData memory data = UpdatePublicData({
            chainId: chain,
            ackBlock: uint64(block.number),
            l2Block: 0,
            queuePosition: position,
            prevRoot: latest.root,
            newRoot: keccak256(abi.encode(latest.root, position, block.number)),
            queueHash: rq.hashAt(chain, position),
            outboxRoot: bytes32(0),
            inboxRoot: bytes32(0),
            withdrawalRoot: wroot
        });
        vm.prank(registry.securityConfig(chain).operator);
        index = registry.submitUpdate(data, "");
    }

    /// @dev Commits `e` as the withdrawal list of a new commitment of `chain` (consuming the whole queue) and
    ///      finalizes it with a second update; returns the commitment's index.
    function _commitFinal(ChainId chain, uint256[4] memory e) internal returns (uint32 index) {
        entries = e;
        uint64 len = rq.length(chain);
        index = _update(chain, len, _rootOf(e));
        _update(chain, len, bytes32(0));
        (uint32 fin, ) = registry.finalizedCommitment(chain);
        assertEq(fin, index, "finalized");
    }

    function _freeze(ChainId chain) internal {
        registry.setChainStatus(chain, IValidiumRegistry.ChainStatus.Frozen);
    }

    function _depositW0(uint32 tokenId, uint32 accountIndex, uint256 amount) internal pure returns (uint256) {
        return 1 + uint256(tokenId) * 2 ** 8 + uint256(accountIndex) * 2 ** 40 + amount * 2 ** 72;
    }

    /// @dev Everything the payouts change: balances, escrows, claimed bits, escapes, reclaims.
    function _fingerprint() internal view returns (bytes32 h) {
        h = keccak256(abi.encode(address(rq).balance, token.balanceOf(address(rq)), R1.balance, R2.balance));
        h = keccak256(abi.encode(h, token.balanceOf(R1), REFUND.balance, token.balanceOf(REFUND)));
        ChainId[2] memory chains = [A, E];
        for (uint256 i; i < 2; ++i) {
            ChainId c = chains[i];
            h = keccak256(abi.encode(h, rq.escrowed(c, 0), rq.escrowed(c, tid), rq.hasEscaped(c, 7)));
            for (uint32 idx; idx < 4; ++idx) {
                for (uint32 k; k < 4; ++k) h = keccak256(abi.encode(h, rq.isWithdrawalClaimed(c, idx, k)));
            }
            for (uint64 p; p < 6; ++p) h = keccak256(abi.encode(h, rq.isDepositReclaimed(c, p)));
        }
    }

    function _claim(uint32 index, uint32 k, address recipient, uint32 tokenId, uint256 amount) internal {
        rq.claimWithdrawal(A, index, k, recipient, tokenId, amount, _siblings(k));
    }

    /// @dev Expects `claimWithdrawal(A, …)` to revert with `err` and change nothing.
    function _expectClaimRevert(
        bytes memory err,
        uint32 index,
        uint32 k,
        address recipient,
        uint32 tokenId,
        uint256 amount,
        uint256[] memory siblings
    ) internal {
        bytes32 before = _fingerprint();
        vm.expectRevert(err);
        rq.claimWithdrawal(A, index, k, recipient, tokenId, amount, siblings);
        assertEq(_fingerprint(), before, "no state change");
    }

    /// @dev Deposits 10 ether and 1000 tokens into A and finalizes a list: k0 (R1, ETH, 3 ether), k1 empty,
    ///      k2 (R2, ETH, 2 ether), k3 (R1, token, 600).
    function _standard() internal returns (uint32 index) {
        rq.depositEth{value: 10 ether}(A, 0, KEY, REFUND);
        rq.depositErc20(A, tid, 1, KEY, REFUND, 1000);
        index = _commitFinal(A, [_entry(R1, 0, 3 ether), 0, _entry(R2, 0, 2 ether), _entry(R1, tid, 600)]);
    }

    // ---------------------------------------------------------------- claimWithdrawal

    function test_claimWithdrawal_paysRecipientOnce() public {
        uint32 index = _standard();
        uint256[] memory s0 = _siblings(0);
        vm.expectEmit(address(rq));
        emit IRequestQueue.WithdrawalClaimed(A, index, 0, R1, 0, 3 ether);
        vm.prank(STRANGER);
        rq.claimWithdrawal(A, index, 0, R1, 0, 3 ether, s0);
        assertEq(R1.balance, 3 ether, "recipient paid, not the caller");
        assertEq(rq.escrowed(A, 0), 7 ether, "escrow debited");
        assertTrue(rq.isWithdrawalClaimed(A, index, 0), "claimed");
        assertFalse(rq.isWithdrawalClaimed(A, index, 2), "others untouched");
        _claim(index, 2, R2, 0, 2 ether);
        _claim(index, 3, R1, tid, 600);
        assertEq(R2.balance, 2 ether, "second");
        assertEq(token.balanceOf(R1), 600, "token paid");
        assertEq(rq.escrowed(A, tid), 400, "token escrow debited");
        assertEq(address(rq).balance, 5 ether, "balance = escrow");
        _expectClaimRevert(
            abi.encodeWithSelector(IRequestQueue.RequestQueueWithdrawalClaimed.selector, A, index, 0),
            index,
            0,
            R1,
            0,
            3 ether,
            s0
        );
    }

    function test_claimWithdrawal_worksOnFrozenAndEjectedChains() public {
        uint32 index = _standard();
        _freeze(A);
        _claim(index, 0, R1, 0, 3 ether);
        registry.setChainStatus(A, IValidiumRegistry.ChainStatus.Ejected);
        _claim(index, 2, R2, 0, 2 ether);
        assertEq(R1.balance + R2.balance, 5 ether, "paid");
    }

    function test_claimWithdrawal_rejections() public {
        rq.depositEth{value: 10 ether}(A, 0, KEY, REFUND);
        entries = [_entry(R1, 0, 3 ether), 0, _entry(R2, 0, 2 ether), _entry(R1, 0, 1)];
        uint32 pending = _update(A, 1, _rootOf(entries));
        uint256[] memory s0 = _siblings(0);
        bytes memory err = abi.encodeWithSelector(
            IRequestQueue.RequestQueueCommitmentNotFinal.selector,
            A,
            pending,
            uint32(0)
        );
        _expectClaimRevert(err, pending, 0, R1, 0, 3 ether, s0);
        err = abi.encodeWithSelector(IRequestQueue.RequestQueueNoWithdrawalRoot.selector, A, uint32(0));
        _expectClaimRevert(err, 0, 0, R1, 0, 3 ether, s0);
        _update(A, 1, bytes32(0)); // finalizes `pending`
        bytes32 root = _rootOf(entries);
        err = abi.encodeWithSelector(IRequestQueue.RequestQueueNoWithdrawalRoot.selector, A, pending + 1);
        _update(A, 1, bytes32(0)); // finalizes pending + 1, which has no list
        _expectClaimRevert(err, pending + 1, 0, R1, 0, 3 ether, s0);
        // Wrong fields: each gives another leaf, so another root.
        _expectBadProof(pending, root, 0, R2, 0, 3 ether, s0);
        _expectBadProof(pending, root, 0, R1, tid, 3 ether, s0);
        _expectBadProof(pending, root, 0, R1, 0, 3 ether + 1, s0);
        _expectBadProof(pending, root, 1, R1, 0, 3 ether, s0);
        uint256[] memory bad = _siblings(0);
        bad[1] ^= 1;
        _expectBadProof(pending, root, 0, R1, 0, 3 ether, bad);
        uint256[] memory short = new uint256[](1);
        short[0] = s0[0];
        _expectBadProof(pending, root, 0, R1, 0, 3 ether, short);
        err = abi.encodeWithSelector(IRequestQueue.RequestQueueWithdrawalSlotOutOfRange.selector, uint32(4), 2);
        _expectClaimRevert(err, pending, 4, R1, 0, 3 ether, s0);
        err = abi.encodeWithSelector(IRequestQueue.RequestQueueWithdrawalSlotOutOfRange.selector, uint32(0), 33);
        _expectClaimRevert(err, pending, 0, R1, 0, 3 ether, new uint256[](33));
        _expectClaimRevert(
            abi.encodeWithSelector(IRequestQueue.RequestQueueZeroRecipient.selector),
            pending,
            0,
            address(0),
            0,
            3 ether,
            s0
        );
        err = abi.encodeWithSelector(IRequestQueue.RequestQueueInvalidAmount.selector, 3 ether + R);
        _expectClaimRevert(err, pending, 0, R1, 0, 3 ether + R, s0);
        // Unknown chain: the registry's error.
        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownChain.selector, ChainId.wrap(9)));
        rq.claimWithdrawal(ChainId.wrap(9), 0, 0, R1, 0, 1, s0);
        assertEq(_fingerprint(), before, "no state change");
        // The valid claim still works afterwards.
        _claim(pending, 0, R1, 0, 3 ether);
        assertEq(R1.balance, 3 ether, "paid");
    }

    function _expectBadProof(
        uint32 index,
        bytes32 root,
        uint32 k,
        address recipient,
        uint32 tokenId,
        uint256 amount,
        uint256[] memory siblings
    ) internal {
        uint256 node = _entry(recipient, tokenId, amount);
        for (uint256 i; i < siblings.length; ++i) {
            node = (k >> i) & 1 == 0 ? p2.hash([node, siblings[i]]) : p2.hash([siblings[i], node]);
        }
        bytes memory err = abi.encodeWithSelector(
            IRequestQueue.RequestQueueInvalidWithdrawalProof.selector,
            A,
            index,
            root,
            bytes32(node)
        );
        _expectClaimRevert(err, index, k, recipient, tokenId, amount, siblings);
    }

    function test_claimWithdrawal_cappedByEscrow() public {
        rq.depositEth{value: 1 ether}(A, 0, KEY, REFUND);
        rq.depositEth{value: 5 ether}(E, 0, KEY, REFUND); // another chain's money is never used
        uint32 index = _commitFinal(A, [_entry(R1, 0, 1 ether + 1), _entry(R2, 0, 1 ether), 0, 0]);
        bytes memory err = abi.encodeWithSelector(
            IRequestQueue.RequestQueueInsufficientEscrow.selector,
            A,
            uint32(0),
            1 ether + 1,
            1 ether
        );
        _expectClaimRevert(err, index, 0, R1, 0, 1 ether + 1, _siblings(0));
        _claim(index, 1, R2, 0, 1 ether);
        assertEq(rq.escrowed(A, 0), 0, "drained");
        assertEq(rq.escrowed(E, 0), 5 ether, "E untouched");
        assertEq(address(rq).balance, 5 ether, "E's deposit stays");
    }

    function test_claimWithdrawal_reentrantRecipientPaidOnce() public {
        ReentrantRecipient attacker = new ReentrantRecipient(rq);
        rq.depositEth{value: 10 ether}(A, 0, KEY, REFUND);
        uint32 index = _commitFinal(A, [_entry(address(attacker), 0, 1 ether), 0, 0, 0]);
        uint256[] memory s = _siblings(0);
        bytes memory call_ = abi.encodeCall(rq.claimWithdrawal, (A, index, 0, address(attacker), 0, 1 ether, s));
        attacker.arm(call_);
        rq.claimWithdrawal(A, index, 0, address(attacker), 0, 1 ether, s);
        assertEq(attacker.received(), 1 ether, "paid once");
        assertEq(
            attacker.reentryError(),
            abi.encodeWithSelector(ReentrancyGuard.ReentrancyGuardReentrantCall.selector),
            "re-entry refused"
        );
        assertEq(rq.escrowed(A, 0), 9 ether, "debited once");
        assertEq(address(rq).balance, 9 ether, "balance");
    }

    function test_claimWithdrawal_failedEthTransferReverts() public {
        rq.depositEth{value: 1 ether}(A, 0, KEY, REFUND);
        address noReceive = address(token); // an ERC-20 has no receive function
        uint32 index = _commitFinal(A, [_entry(noReceive, 0, 1 ether), 0, 0, 0]);
        bytes memory err = abi.encodeWithSelector(
            IRequestQueue.RequestQueueTransferFailed.selector,
            noReceive,
            1 ether
        );
        _expectClaimRevert(err, index, 0, noReceive, 0, 1 ether, _siblings(0));
        assertFalse(rq.isWithdrawalClaimed(A, index, 0), "not marked");
    }

    function testFuzz_claimWithdrawal_hostileValuesRejected(
        uint32 k,
        address recipient,
        uint32 tokenId,
        uint256 amount,
        uint256 s0,
        uint256 s1
    ) public {
        uint32 index = _standard();
        uint256[] memory s = new uint256[](2);
        s[0] = s0;
        s[1] = s1;
        uint256[] memory real = _siblings(k & 3);
        // Skip the (negligible) case of the fuzzer producing a valid claim.
        vm.assume(!(k < 4 && s0 == real[0] && s1 == real[1] && _entry(recipient, tokenId, amount) == entries[k]));
        bytes32 before = _fingerprint();
        try rq.claimWithdrawal(A, index, k, recipient, tokenId, amount, s) {
            assertTrue(false, "accepted a hostile claim");
        } catch (bytes memory err) {
            assertTrue(err.length >= 4, "custom error");
        }
        assertEq(_fingerprint(), before, "no state change");
    }

    // ---------------------------------------------------------------- escape

    function _escapeProof(
        bytes32 root,
        uint256 accountId,
        uint256 tokenId,
        uint256 amount
    ) internal pure returns (bytes memory) {
        return abi.encode(root, accountId, tokenId, amount);
    }

    function _finalRoot(ChainId chain) internal view returns (bytes32) {
        (, IValidiumRegistry.CommitmentInfo memory info) = registry.finalizedCommitment(chain);
        return info.root;
    }

    function _expectEscapeRevert(ChainId chain, address recipient, bytes memory proof, bytes memory err) internal {
        bytes32 before = _fingerprint();
        vm.expectRevert(err);
        rq.escape(chain, recipient, proof);
        assertEq(_fingerprint(), before, "no state change");
    }

    function test_escape_paysFinalBalanceOnce() public {
        rq.depositEth{value: 10 ether}(E, 0, KEY, REFUND);
        _commitFinal(E, [uint256(0), 0, 0, 0]);
        bytes memory proof = _escapeProof(_finalRoot(E), 7, 0, 4 ether);
        bytes memory err = abi.encodeWithSelector(
            IRequestQueue.RequestQueueChainNotFrozen.selector,
            E,
            IValidiumRegistry.ChainStatus.Active
        );
        _expectEscapeRevert(E, R1, proof, err);
        _freeze(E);
        vm.expectEmit(address(rq));
        emit IRequestQueue.Escaped(E, 7, R1, 0, 4 ether);
        vm.prank(STRANGER);
        rq.escape(E, R1, proof);
        assertEq(R1.balance, 4 ether, "paid");
        assertEq(rq.escrowed(E, 0), 6 ether, "debited");
        assertTrue(rq.hasEscaped(E, 7), "recorded");
        err = abi.encodeWithSelector(IRequestQueue.RequestQueueAlreadyEscaped.selector, E, uint256(7));
        _expectEscapeRevert(E, R1, proof, err);
        _expectEscapeRevert(E, R2, _escapeProof(_finalRoot(E), 7, 0, 1), err);
        registry.setChainStatus(E, IValidiumRegistry.ChainStatus.Ejected);
        err = abi.encodeWithSelector(
            IRequestQueue.RequestQueueChainNotFrozen.selector,
            E,
            IValidiumRegistry.ChainStatus.Ejected
        );
        _expectEscapeRevert(E, R2, _escapeProof(_finalRoot(E), 8, 0, 1), err);
    }

    function test_escape_rejections() public {
        rq.depositEth{value: 10 ether}(E, 0, KEY, REFUND);
        rq.depositEth{value: 10 ether}(A, 0, KEY, REFUND);
        _commitFinal(E, [uint256(0), 0, 0, 0]);
        bytes32 finalRoot = _finalRoot(E);
        _update(E, 1, bytes32(0)); // finalizes the second update; this third one stays pending
        (, IValidiumRegistry.CommitmentInfo memory latest) = registry.latestCommitment(E);
        finalRoot = _finalRoot(E);
        assertTrue(latest.root != finalRoot, "a pending root");
        _freeze(E);
        _freeze(A);
        bytes memory err = abi.encodeWithSelector(
            IEscapeVerifier.EscapeStateRootMismatch.selector,
            finalRoot,
            latest.root
        );
        _expectEscapeRevert(E, R1, _escapeProof(latest.root, 7, 0, 1 ether), err);
        err = abi.encodeWithSelector(IRequestQueue.RequestQueueNoEscapeVerifier.selector, A);
        _expectEscapeRevert(A, R1, _escapeProof(_finalRoot(A), 7, 0, 1 ether), err);
        err = abi.encodeWithSelector(IRequestQueue.RequestQueueZeroRecipient.selector);
        _expectEscapeRevert(E, address(0), _escapeProof(finalRoot, 7, 0, 1 ether), err);
        err = abi.encodeWithSelector(
            IRequestQueue.RequestQueueInsufficientEscrow.selector,
            E,
            uint32(0),
            10 ether + 1,
            10 ether
        );
        _expectEscapeRevert(E, R1, _escapeProof(finalRoot, 7, 0, 10 ether + 1), err);
        err = abi.encodeWithSelector(
            IRequestQueue.RequestQueueInsufficientEscrow.selector,
            E,
            tid,
            uint256(1),
            uint256(0)
        );
        _expectEscapeRevert(E, R1, _escapeProof(finalRoot, 7, tid, 1), err);
        err = abi.encodeWithSelector(IRequestQueue.RequestQueueEscapeTokenOutOfRange.selector, uint256(1) << 32);
        _expectEscapeRevert(E, R1, _escapeProof(finalRoot, 7, uint256(1) << 32, 1), err);
        err = abi.encodeWithSelector(IEscapeVerifier.EscapeZeroBalance.selector, uint256(7));
        _expectEscapeRevert(E, R1, _escapeProof(finalRoot, 7, 0, 0), err);
        rq.escape(E, R1, _escapeProof(finalRoot, 7, 0, 10 ether));
        assertEq(R1.balance, 10 ether, "the whole escrow, once");
    }

    // ---------------------------------------------------------------- reclaimDeposit

    function _expectReclaimRevert(
        ChainId chain,
        uint64 position,
        uint256 w0,
        uint256 w1,
        uint256 w2,
        bytes memory err
    ) internal {
        bytes32 before = _fingerprint();
        vm.expectRevert(err);
        rq.reclaimDeposit(chain, position, w0, w1, w2);
        assertEq(_fingerprint(), before, "no state change");
    }

    function test_reclaimDeposit_unconsumedPaidBackOnce() public {
        uint256 w2 = uint256(uint160(REFUND));
        rq.depositEth{value: 1 ether}(E, 0, KEY, REFUND); // 1: consumed by the final commitment
        _commitFinal(E, [uint256(0), 0, 0, 0]);
        rq.depositEth{value: 2 ether}(E, 1, KEY, REFUND); // 2: consumed by a pending commitment only
        _update(E, 2, bytes32(0));
        rq.depositErc20(E, tid, 2, KEY, REFUND, 500); // 3: never consumed
        bytes32 payload = keccak256("m");
        rq.forceMessage{value: FEE}(E, payload); // 4: not a deposit
        uint256 w0_1 = _depositW0(0, 0, 1 ether);
        uint256 w0_2 = _depositW0(0, 1, 2 ether);
        uint256 w0_3 = _depositW0(tid, 2, 500);
        bytes memory err = abi.encodeWithSelector(
            IRequestQueue.RequestQueueChainNotFrozen.selector,
            E,
            IValidiumRegistry.ChainStatus.Active
        );
        _expectReclaimRevert(E, 3, w0_3, KEY, w2, err);
        _freeze(E);
        err = abi.encodeWithSelector(IRequestQueue.RequestQueueDepositConsumed.selector, E, uint64(1), uint64(1));
        _expectReclaimRevert(E, 1, w0_1, KEY, w2, err);
        err = abi.encodeWithSelector(IRequestQueue.RequestQueueNotDeposit.selector, E, uint64(4));
        uint256 w1m = uint256(keccak256(abi.encode(E, address(this), payload))) % R;
        _expectReclaimRevert(E, 4, 3, w1m, uint256(uint160(address(this))), err);
        err = abi.encodeWithSelector(IRequestQueue.RequestQueueNotDeposit.selector, E, uint64(0));
        _expectReclaimRevert(E, 0, 0, 0, 0, err);
        err = abi.encodeWithSelector(IRequestQueue.RequestQueuePositionBeyondEnd.selector, E, uint64(5), uint64(4));
        _expectReclaimRevert(E, 5, w0_3, KEY, w2, err);
        err = abi.encodeWithSelector(IRequestQueue.RequestQueueItemMismatch.selector, E, uint64(3));
        _expectReclaimRevert(E, 3, w0_3 + (1 << 72), KEY, w2, err); // inflated amount
        _expectReclaimRevert(E, 3, w0_3, KEY, uint256(uint160(R1)), err); // another refund address
        _expectReclaimRevert(E, 3, w0_3 + R, KEY, w2, err); // aliased word
        _expectReclaimRevert(E, 3, w0_3, KEY, w2 + R, err);
        vm.expectEmit(address(rq));
        emit IRequestQueue.DepositReclaimed(E, 3, REFUND, tid, 500);
        vm.prank(STRANGER);
        rq.reclaimDeposit(E, 3, w0_3, KEY, w2);
        assertEq(token.balanceOf(REFUND), 500, "token refunded");
        rq.reclaimDeposit(E, 2, w0_2, KEY, w2);
        assertEq(REFUND.balance, 2 ether, "pending consumption does not count");
        assertEq(rq.escrowed(E, 0), 1 ether, "eth escrow");
        assertEq(rq.escrowed(E, tid), 0, "token escrow");
        assertTrue(rq.isDepositReclaimed(E, 2) && rq.isDepositReclaimed(E, 3), "recorded");
        err = abi.encodeWithSelector(IRequestQueue.RequestQueueDepositReclaimed.selector, E, uint64(3));
        _expectReclaimRevert(E, 3, w0_3, KEY, w2, err);
    }

    function test_reclaimDeposit_cappedByEscrow() public {
        uint256 w2 = uint256(uint160(REFUND));
        rq.depositEth{value: 3 ether}(E, 0, KEY, REFUND);
        _freeze(E);
        // The escape drains most of the escrow first: the reclaim cannot take other chains' money.
        rq.depositEth{value: 9 ether}(A, 0, KEY, REFUND);
        rq.escape(E, R1, _escapeProof(_finalRoot(E), 1, 0, 2 ether));
        bytes memory err = abi.encodeWithSelector(
            IRequestQueue.RequestQueueInsufficientEscrow.selector,
            E,
            uint32(0),
            3 ether,
            1 ether
        );
        _expectReclaimRevert(E, 1, _depositW0(0, 0, 3 ether), KEY, w2, err);
    }

    function testFuzz_reclaimDeposit_hostileWordsRejected(uint64 position, uint256 w0, uint256 w1, uint256 w2) public {
        rq.depositEth{value: 1 ether}(E, 0, KEY, REFUND);
        rq.depositEth{value: 2 ether}(E, 3, KEY, R1);
        _freeze(E);
        vm.assume(!(w0 == _depositW0(0, 0, 1 ether) && w1 == KEY && w2 == uint256(uint160(REFUND))));
        vm.assume(!(w0 == _depositW0(0, 3, 2 ether) && w1 == KEY && w2 == uint256(uint160(R1))));
        bytes32 before = _fingerprint();
        try rq.reclaimDeposit(E, position, w0, w1, w2) {
            assertTrue(false, "accepted a hostile reclaim");
        } catch (bytes memory err) {
            assertTrue(err.length >= 4, "custom error");
        }
        assertEq(_fingerprint(), before, "no state change");
    }

    // ---------------------------------------------------------------- invariant (sequence model)

    /// @dev Random sequences of deposits (ETH and token), commitments listing random entries (often larger
    ///      than the escrow), claims, escapes and reclaims on E, with the freeze at a random step. After every
    ///      step, per token: escrowed == deposited − paid, paid ≤ deposited, and the contract's balance covers it.
    function testFuzz_payouts_neverExceedDeposits(uint256 seed, uint8 steps, uint8 freezeAt) public {
        steps = uint8(bound(steps, 1, 16));
        _runSequence(seed, steps, bound(freezeAt, 0, steps));
    }

    /// @dev The sequence is not vacuous: with this seed claims, escapes and reclaims succeed.
    function test_payouts_sequencePaysOut() public {
        assertGe(_runSequence(1, 16, 8), 3, "payouts happened");
    }

    /// @dev The sequence's model: totals per token (0: ETH, 1: the token), the latest final list
    ///      [index, amount, token], the w0 of the deposit at each position (0: not a deposit), the payouts.
    struct Sequence {
        uint256[2] deposited;
        uint256[2] paid;
        uint256[3] last;
        uint256[17] w0s;
        uint256 payouts;
    }

    /// @dev Returns the number of successful payouts.
    function _runSequence(uint256 seed, uint256 steps, uint256 freezeAt) internal returns (uint256) {
        Sequence memory q;
        for (uint256 i; i < steps; ++i) {
            if (i == freezeAt) _freeze(E);
            // The payees only receive: what they gain in a step is what the queue paid in it.
            uint256[2] memory before = [_paidOut(0), _paidOut(tid)];
            _step(q, uint256(keccak256(abi.encode(seed, i))));
            q.paid[0] += _paidOut(0) - before[0];
            q.paid[1] += _paidOut(tid) - before[1];
            _checkTotals(q.deposited, q.paid);
        }
        return q.payouts;
    }

    function _step(Sequence memory q, uint256 r) internal {
        bool frozen = registry.chainStatus(E) == IValidiumRegistry.ChainStatus.Frozen;
        uint256 action = frozen ? 2 + (r % 3) : r % 3;
        uint256 amount = (r >> 8) % 4 ether;
        uint32 t = (r >> 128) % 2 == 0 ? 0 : tid;
        if (action == 0 && amount != 0) {
            if (t == 0) rq.depositEth{value: amount}(E, 0, KEY, REFUND);
            else rq.depositErc20(E, t, 0, KEY, REFUND, amount);
            q.deposited[t == 0 ? 0 : 1] += amount;
            q.w0s[rq.length(E)] = _depositW0(t, 0, amount);
        } else if (action == 1) {
            uint256[4] memory e;
            for (uint32 k; k < 4; ++k) e[k] = _entry(R1, t, amount / (k + 1));
            q.last = [uint256(_commitFinal(E, e)), amount, t];
        } else if (action == 2 && q.last[0] != 0) {
            if (_tryClaim(q.last, uint32(r >> 64) % 4)) ++q.payouts;
        } else if (action == 3) {
            try rq.escape(E, R2, _escapeProof(_finalRoot(E), r % 3, t, amount / 4 + 1)) {
                ++q.payouts;
            } catch {}
        } else if (action == 4) {
            uint64 p = uint64(r >> 64) % (rq.length(E) + 1);
            try rq.reclaimDeposit(E, p, q.w0s[p], KEY, uint256(uint160(REFUND))) {
                ++q.payouts;
            } catch {}
        }
    }

    /// @dev Claims entry k of the list `last` = [index, amount, token] (entry k pays amount / (k + 1) to R1).
    function _tryClaim(uint256[3] memory last, uint32 k) internal returns (bool) {
        uint256[] memory s = _siblings(k);
        try rq.claimWithdrawal(E, uint32(last[0]), k, R1, uint32(last[2]), last[1] / (k + 1), s) {
            return true;
        } catch {
            return false;
        }
    }

    /// @dev What the payees (R1, R2, REFUND) hold of token t (0: ETH).
    function _paidOut(uint32 t) internal view returns (uint256) {
        if (t == 0) return R1.balance + R2.balance + REFUND.balance;
        return token.balanceOf(R1) + token.balanceOf(R2) + token.balanceOf(REFUND);
    }

    function _checkTotals(uint256[2] memory deposited, uint256[2] memory paid) internal view {
        assertLe(paid[0], deposited[0], "eth paid <= deposited");
        assertLe(paid[1], deposited[1], "token paid <= deposited");
        assertEq(rq.escrowed(E, 0), deposited[0] - paid[0], "eth escrow");
        assertEq(rq.escrowed(E, tid), deposited[1] - paid[1], "token escrow");
        assertEq(address(rq).balance, deposited[0] - paid[0] + rq.escrowed(A, 0) + _fees(), "eth balance");
        assertEq(token.balanceOf(address(rq)), deposited[1] - paid[1], "token balance");
    }

    function _fees() internal view returns (uint256) {
        (uint256 p, uint256 c) = rq.forcedFees(E);
        return p - c;
    }
}
